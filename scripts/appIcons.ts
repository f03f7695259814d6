// The app's install icons, drawn in code from public/favicon.svg's design (a dark rounded square, an amber ring) and
// written as PNG with node:zlib: nothing is downloaded and no binary is committed. vite.config.ts emits them at build
// time for the web app manifest. Node only (build tooling and tests); nothing here runs in the app.
import { deflateSync } from 'node:zlib';

/** favicon.svg's colours; the manifest's theme colour is the same dark as the square (and the app's header). */
export const ICON_BACKGROUND = '#1b1b1f';
const RING = '#f3c969';

export interface AppIcon { fileName: string; size: number; purpose: 'any' | 'maskable' }

/**
 * The icons the manifest lists: 192 and 512 px (what Chromium needs to offer installation) with favicon.svg's
 * rounded corners, and a 512 px maskable one with a full-bleed square, its ring well inside the 80 % safe circle.
 */
export const APP_ICONS: readonly AppIcon[] = Object.freeze([
  { fileName: 'icons/icon-192.png', size: 192, purpose: 'any' },
  { fileName: 'icons/icon-512.png', size: 512, purpose: 'any' },
  { fileName: 'icons/icon-maskable-512.png', size: 512, purpose: 'maskable' },
]);

/** One icon as PNG bytes (about 0.3 s for 512 px: drawn when the build emits it, not when the config loads). */
export function renderAppIcon(icon: AppIcon): Uint8Array {
  return iconPng(icon.size, icon.purpose === 'maskable');
}

/**
 * favicon.svg (viewBox 32 × 32: rect rx 6, circle r 9 stroke 3) rasterised at `size` px, 4 × 4 samples a pixel.
 * Maskable: no rounded corners (the platform's mask shapes it); the ring's outer edge, 10.5 / 32 of the size from
 * the centre, is inside the safe zone (0.4).
 */
export function iconPng(size: number, maskable: boolean): Uint8Array {
  const bg = rgb(ICON_BACKGROUND), ring = rgb(RING), n = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inSquare = 0, onRing = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          // Sample position in favicon units (0..32).
          const u = ((x + (sx + 0.5) / n) / size) * 32, v = ((y + (sy + 0.5) / n) / size) * 32;
          if (!maskable && !insideRoundedSquare(u, v, 32, 6)) continue;
          inSquare++;
          if (Math.abs(Math.hypot(u - 16, v - 16) - 9) <= 1.5) onRing++;
        }
      }
      const a = inSquare / (n * n), t = inSquare ? onRing / inSquare : 0, o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(bg[c]! * (1 - t) + ring[c]! * t);
      rgba[o + 3] = Math.round(a * 255);
    }
  }
  return encodePng(size, size, rgba);
}

function insideRoundedSquare(u: number, v: number, side: number, r: number): boolean {
  const dx = Math.max(r - u, 0, u - (side - r)), dy = Math.max(r - v, 0, v - (side - r));
  return dx * dx + dy * dy <= r * r;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A PNG of 8-bit RGBA pixels (colour type 6), each row unfiltered, one IDAT chunk. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
