// The install icons are valid PNGs of favicon.svg's design: the sizes the manifest names, rounded corners that are
// transparent (any) or a full-bleed square (maskable), the amber ring on the dark square.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { APP_ICONS, ICON_BACKGROUND, encodePng, renderAppIcon } from '../../scripts/appIcons';

/** Width, height and RGBA pixels of a PNG written by encodePng (one IDAT, filter 0 rows); checks the signature. */
function decode(png: Uint8Array): { width: number; height: number; px: (x: number, y: number) => number[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8, width = 0, height = 0, idat: Uint8Array = new Uint8Array(0);
  const types: string[] = [];
  while (at < png.length) {
    const len = view.getUint32(at), type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    types.push(type);
    if (type === 'IHDR') { width = view.getUint32(at + 8); height = view.getUint32(at + 12); }
    if (type === 'IDAT') idat = png.subarray(at + 8, at + 8 + len);
    at += 12 + len;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(idat), stride = width * 4 + 1;
  expect(raw.length).toBe(height * stride);
  return { width, height, px: (x, y) => [...raw.subarray(y * stride + 1 + x * 4, y * stride + 1 + x * 4 + 4)] };
}

describe('appIcons', () => {
  it('writes a PNG any decoder reads: chunk layout, CRC of the empty IEND', () => {
    const png = encodePng(1, 1, Uint8Array.of(1, 2, 3, 4));
    expect(decode(png).px(0, 0)).toEqual([1, 2, 3, 4]);
    expect([...png.subarray(png.length - 12)]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('draws 192, 512 and maskable 512 px icons of the favicon design', () => {
    expect(APP_ICONS.map((i) => [i.fileName, i.size, i.purpose])).toEqual([
      ['icons/icon-192.png', 192, 'any'], ['icons/icon-512.png', 512, 'any'], ['icons/icon-maskable-512.png', 512, 'maskable'],
    ]);
    const dark = [27, 27, 31, 255], amber = [0xf3, 0xc9, 0x69, 255];
    expect(ICON_BACKGROUND).toBe('#1b1b1f');
    for (const icon of APP_ICONS) {
      const { width, height, px } = decode(renderAppIcon(icon));
      expect([width, height]).toEqual([icon.size, icon.size]);
      const s = icon.size;
      expect(px(0, 0)[3]).toBe(icon.purpose === 'maskable' ? 255 : 0); // rounded corner, or full bleed
      expect(px(s / 2, s / 2)).toEqual(dark); // inside the ring
      expect(px(s / 2, Math.round(s * (16 - 9) / 32))).toEqual(amber); // on the ring, above the centre
      expect(px(s / 2, Math.round(s * 3 / 32))).toEqual(dark); // between the ring and the edge
    }
  });
});
