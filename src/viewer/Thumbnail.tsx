// Series thumbnail: the middle image, decoded in the worker, windowed with our VOI maths onto a small canvas.
// UI thread. No cornerstone here: thumbnails must not disturb the main viewport's cache or tools.
import { useEffect, useRef } from 'react';
import type { InstanceHeader, PixelFrame } from '../shared/types';
import { applyWindow, initialWindow } from '../shared/voi';

interface Props {
  instanceId: string;
  frame: number;
  header: InstanceHeader | undefined;
  decode: (id: string, frame: number) => Promise<PixelFrame>;
  size?: number;
}

export function Thumbnail({ instanceId, frame, header, decode, size = 72 }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let alive = true;
    if (!header) return;
    decode(instanceId, frame).then((f) => {
      const ctx = canvas.current?.getContext('2d');
      if (!alive || !ctx) return;
      const img = ctx.createImageData(size, size);
      const scale = Math.max(f.rows, f.columns) / size;
      const w = initialWindow(header, f.data);
      const invert = header.photometricInterpretation === 'MONOCHROME1';
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const r = Math.floor(y * scale), c = Math.floor(x * scale);
          const o = 4 * (y * size + x);
          if (r >= f.rows || c >= f.columns) { img.data[o + 3] = 255; continue; }
          const k = r * f.columns + c;
          if (f.samples === 3) {
            const s = header.bitsStored > 8 ? 2 ** (header.bitsStored - 8) : 1;
            img.data[o] = f.data[3 * k]! / s; img.data[o + 1] = f.data[3 * k + 1]! / s; img.data[o + 2] = f.data[3 * k + 2]! / s;
          } else {
            let v = applyWindow(f.data[k]! * header.rescaleSlope + header.rescaleIntercept, w);
            if (invert) v = 255 - v;
            img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
          }
          img.data[o + 3] = 255;
        }
      }
      ctx.putImageData(img, 0, 0);
    }).catch(() => { /* the viewer reports decode errors; a thumbnail just stays dark */ });
    return () => { alive = false; };
  }, [instanceId, frame, header, decode, size]);
  return <canvas ref={canvas} width={size} height={size} className="thumb" aria-hidden="true" />;
}
