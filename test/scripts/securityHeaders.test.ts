// The production headers are written down once (scripts/securityHeaders.ts): vite preview sends them, the build's
// _headers and README's deployment snippets say the same, and the policy stays strict.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';
import { CSP_DIRECTIVES, ISOLATION_HEADERS, PRODUCTION_HEADERS, dicomwebOrigins, formatCsp, headersFile, nginxHeaders } from '../../scripts/securityHeaders';

describe('securityHeaders', () => {
  it('vite preview sends the production headers; the dev server the isolation headers only', () => {
    expect(viteConfig.preview?.headers).toEqual(PRODUCTION_HEADERS);
    expect(viteConfig.server?.headers).toEqual(ISOLATION_HEADERS);
  });

  it('formats the policy as directive sources; sources separated by spaces, directives by semicolons', () => {
    expect(formatCsp({ 'default-src': ["'none'"], 'img-src': ["'self'", 'data:'] })).toBe("default-src 'none'; img-src 'self' data:");
    expect(PRODUCTION_HEADERS['Content-Security-Policy']).toBe(formatCsp(CSP_DIRECTIVES));
  });

  it('allows no inline script, no eval and no connection beyond the origin', () => {
    expect(CSP_DIRECTIVES['default-src']).toEqual(["'none'"]);
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(CSP_DIRECTIVES['connect-src']).toEqual(["'self'"]);
    for (const d of ['base-uri', 'form-action', 'frame-ancestors']) expect(CSP_DIRECTIVES[d]).toEqual(["'none'"]);
    const sources = Object.values(CSP_DIRECTIVES).flat();
    expect(sources).not.toContain("'unsafe-inline'");
    expect(sources).not.toContain("'unsafe-eval'");
    expect(sources.filter((s) => /^wss?:|^https?:$|\*/.test(s))).toEqual([]); // no WebSocket, bare scheme or wildcard
  });

  it('connects to the DICOMweb servers a deployment names (LUCID_DICOMWEB_ORIGINS) and to nothing wider', () => {
    expect(dicomwebOrigins('')).toEqual([]);
    expect(dicomwebOrigins('https://pacs.example.org, http://127.0.0.1:8042 https://pacs.example.org/')).toEqual(['https://pacs.example.org', 'http://127.0.0.1:8042']);
    for (const bad of ['https://pacs.example.org/dicom-web', 'https://*.example.org', 'ws://pacs.example.org', 'pacs.example.org', 'https:', '*']) {
      expect(() => dicomwebOrigins(bad), bad).toThrow(/LUCID_DICOMWEB_ORIGINS/);
    }
  });

  it('_headers sends every header on every path', () => {
    const lines = headersFile().trimEnd().split('\n');
    expect(lines[0]).toBe('/*');
    expect(lines.slice(1)).toEqual(Object.entries(PRODUCTION_HEADERS).map(([k, v]) => `  ${k}: ${v}`));
  });

  it("README's _headers and nginx snippets are the policy, verbatim", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`\`\`\`\n${headersFile()}\`\`\``);
    expect(readme).toContain(`\`\`\`nginx\n${nginxHeaders()}\`\`\``);
  });
});
