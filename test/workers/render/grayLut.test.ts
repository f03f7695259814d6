// The render worker's window pass must paint exactly the greys cornerstone's own renderer paints for the same stored
// pixels, slope/intercept, window and invert (cornerstone's generateLut is the reference, run here in Node).
import { describe, expect, it } from 'vitest';
import { applyGrayLut, grayLut } from '../../../workers/render/grayLut';

async function cornerstoneLut(): Promise<(image: object, ww: number, wc: number, invert: boolean) => Uint8ClampedArray> {
  const g = globalThis as unknown as { window?: unknown; document?: unknown };
  g.window ??= globalThis;
  g.document ??= { createElement: () => ({ getContext: () => null }) };
  const cs = (await import('cornerstone-core')).default as unknown as { internal: { generateLut: (image: object, ww: number, wc: number, invert: boolean) => Uint8ClampedArray } };
  return cs.internal.generateLut;
}

describe('grayLut', () => {
  const cases = [
    { name: 'CT in whole HU', slope: 1, intercept: 0, min: -1024, max: 3071, center: 40, width: 400 },
    { name: 'spread float MR', slope: 0.0123, intercept: 201.5, min: -32768, max: 32767, center: 464, width: 1350 },
    { name: 'difference map about 0', slope: 0.0072, intercept: 0, min: -32768, max: 32767, center: 0, width: 100.5 },
    { name: 'a 1-wide window', slope: 1, intercept: -1024, min: 0, max: 4095, center: -500, width: 1 },
  ];
  for (const c of cases) {
    for (const invert of [false, true]) {
      it(`paints cornerstone's greys: ${c.name}${invert ? ', inverted' : ''}`, async () => {
        const generateLut = await cornerstoneLut();
        const ref = generateLut({ minPixelValue: c.min, maxPixelValue: c.max, slope: c.slope, intercept: c.intercept }, c.width, c.center, invert);
        const lut = grayLut(c, { center: c.center, width: c.width, invert });
        const offset = Math.min(c.min, 0);
        let diffs = 0;
        for (let s = c.min; s <= c.max; s++) {
          const px = lut[s - c.min]!;
          const grey = px & 0xff;
          if (grey !== ref[s - offset] || ((px >>> 8) & 0xff) !== grey || ((px >>> 16) & 0xff) !== grey || px >>> 24 !== 0xff) diffs++;
        }
        expect(diffs).toBe(0);
      });
    }
  }

  it('writes one opaque RGBA pixel per stored pixel', () => {
    const p = { stored: Int16Array.from([-1024, 40, 240, 3071]), slope: 1, intercept: 0, min: -1024, max: 3071 };
    const out = new Uint8ClampedArray(16);
    applyGrayLut(p, grayLut(p, { center: 40, width: 400, invert: false }), out);
    expect([...out]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
  });
});
