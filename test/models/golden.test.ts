// Each committed model: bytes match the catalogue's sha256, and onnxruntime-web (WASM, in Node) reproduces the
// PyTorch outputs stored at export on a real, odd-sized golden input within 1e-4.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { MODEL_CATALOG } from '../../models/catalog';
import { readNpy } from '../fixtures/readNpy';

ort.env.wasm.numThreads = 1;

describe.each(Object.values(MODEL_CATALOG))('model $id', (entry) => {
  const bytes = readFileSync(`models/${entry.file}`);
  it('matches the sha256 and size in the catalogue, opset ≤ 17, under 5 MB', () => {
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    expect(bytes.length).toBe(entry.bytes);
    expect(entry.opset).toBeLessThanOrEqual(17);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
  });
  it('reproduces the PyTorch golden output in onnxruntime-web (WASM) within 1e-4', async () => {
    const dir = `models/${entry.id}/golden`;
    const input = readNpy(`${dir}/input.npy`);
    const expected = readNpy(`${dir}/output.npy`);
    const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'] });
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(input.data), input.shape) });
    const out = result[session.outputNames[0]!]!;
    expect(out.dims).toEqual(expected.shape);
    const got = out.data as Float32Array;
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - expected.data[i]!));
    expect(max).toBeLessThan(1e-4);
    await session.release();
  });
});
