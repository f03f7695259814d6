// The HTTP response headers the production build must be served with: cross-origin isolation (COOP/COEP/CORP, for
// multi-threaded WASM), the Content-Security-Policy, no referrer, no MIME sniffing. The one place they are written
// down: vite.config.ts sends them from `vite preview` and writes them to dist/_headers; README's nginx snippet and
// _headers example are checked against them by test/scripts/securityHeaders.test.ts.
// Node only (build tooling and tests); nothing here runs in the app.

/** Cross-origin isolation, so onnxruntime-web's WASM threads get SharedArrayBuffer. The dev server sends these too. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/**
 * The DICOMweb servers a deployment lets the app connect to: origins (scheme://host[:port]) separated by spaces or
 * commas in the LUCID_DICOMWEB_ORIGINS environment variable at build time. Anything that is not a plain http(s)
 * origin (a path, a wildcard, another scheme) is refused, so the policy never opens wider than the servers named.
 */
export function dicomwebOrigins(value = process.env.LUCID_DICOMWEB_ORIGINS ?? ''): string[] {
  const out: string[] = [];
  for (const item of value.split(/[\s,]+/).filter(Boolean)) {
    let url: URL | null = null;
    try { url = new URL(item); } catch { /* reported below */ }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, '') || item.includes('*')) {
      throw new Error(`LUCID_DICOMWEB_ORIGINS: "${item}" is not an origin like https://pacs.example.org or http://127.0.0.1:8042 (no path, no wildcard)`);
    }
    if (!out.includes(url.origin)) out.push(url.origin);
  }
  return out;
}

/**
 * The production Content-Security-Policy, as strict as the built app allows: nothing is allowed unless named, and
 * each source below is what a whole session in Chromium needed without a `securitypolicyviolation`
 * (test/e2e/privacy.test.ts). A deployment that adds DICOMweb servers lists their origins in connect-src here.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // Anything not named below (fonts: system fonts only; objects, frames, media): nothing.
  'default-src': ["'none'"],
  // Our bundled modules only: no inline script, no eval. 'wasm-unsafe-eval' lets WebAssembly compile (ORT, the
  // codecs) without allowing JavaScript eval. Workers (decode, inference, ORT's pthreads) take the policy of their own
  // script's response, which is why every response carries it.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // The decode and inference workers, ORT's pthread workers and the service worker: same-origin scripts, no blob:.
  'worker-src': ["'self'"],
  // fetch() of the sample study, the models and ORT's .wasm, from the page, the workers and the service worker; and
  // the DICOMweb servers this deployment lists (LUCID_DICOMWEB_ORIGINS at build time), nothing else.
  'connect-src': ["'self'", ...dicomwebOrigins()],
  // The web app manifest (installing the app), from its own origin.
  'manifest-src': ["'self'"],
  // The favicon and the manifest's icons. Canvases need nothing; downloads are blob: links, which CSP does not govern.
  'img-src': ["'self'"],
  // The bundled stylesheet. Style attributes set by React, cornerstone and uPlot go through the CSSOM, which CSP
  // does not govern; nothing injects a <style> element.
  'style-src': ["'self'"],
  // These three do not fall back to default-src: no <base> may redirect relative URLs, no form may post anywhere,
  // and no other site may frame the app (clickjacking).
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/** Serialises directives to a header value: `name src src; name src`. */
export function formatCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives).map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/** Every header the production build is served with. */
export const PRODUCTION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ISOLATION_HEADERS,
  'Content-Security-Policy': formatCsp(CSP_DIRECTIVES),
  // The page's URL is never sent to another site, and a file is never run as another type than the one served.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
});

/** A Netlify / Cloudflare Pages `_headers` file sending `headers` on every path. */
export function headersFile(headers: Readonly<Record<string, string>> = PRODUCTION_HEADERS): string {
  return ['/*', ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n') + '\n';
}

/** nginx `add_header` lines for a server block (`always`: error responses carry them too). */
export function nginxHeaders(headers: Readonly<Record<string, string>> = PRODUCTION_HEADERS): string {
  return Object.entries(headers).map(([name, value]) => `add_header ${name} "${value}" always;`).join('\n') + '\n';
}
