// Contract of the UI-side decode bridge: a hung file is timed out by name, the worker is replaced, calls caught up
// in the restart are retried, and instances loaded before the restart are re-read lazily into the new worker.
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { createDecodeClient } from '../../../src/sources/decodeClient';
import { createDecodeApi } from '../../../workers/decodeApi';
import { makeImage, pattern } from '../../fixtures/makeImage';
import { TS_UID } from '../../../src/dicom/transferSyntax';

/** A stand-in Worker: the real decode API behind a MessageChannel; files starting with "HANG" never finish loading. */
function fakeWorkerFactory() {
  const made: { terminated: boolean }[] = [];
  const make = () => {
    const { port1, port2 } = new MessageChannel();
    const api = createDecodeApi();
    const exposed = {
      ...api,
      load: async (id: string, src: Blob) => {
        const head = new TextDecoder().decode(await src.slice(0, 4).arrayBuffer());
        return head === 'HANG' ? new Promise<never>(() => {}) : api.load(id, src);
      },
    };
    Comlink.expose(exposed, port1 as unknown as Comlink.Endpoint);
    const state = { terminated: false };
    made.push(state);
    const worker = Object.assign(port2, {
      terminate() { state.terminated = true; port1.close(); port2.close(); },
      onerror: null,
    });
    return worker as unknown as Worker;
  };
  return { make, made };
}

describe('decode client', () => {
  it('times out a hung file by name, restarts the worker and keeps everything else working', async () => {
    const { make, made } = fakeWorkerFactory();
    const client = createDecodeClient(make, { timeoutMs: 500 });
    const values = Uint16Array.from(pattern(8, 8, 0, 999));
    const good = await makeImage({ rows: 8, columns: 8, bitsAllocated: 16, values }, TS_UID.explicitLE);
    const first = await client.load('a', new File([good.slice().buffer], 'a.dcm'));
    expect(first.ok).toBe(true);

    const [hung, other] = await Promise.all([
      client.load('h', new File([new TextEncoder().encode('HANG forever')], 'hang.dcm')),
      client.load('b', new File([good.slice().buffer], 'b.dcm')),
    ]);
    expect(hung).toMatchObject({ ok: false, error: { name: 'DecodeTimeoutError' } });
    expect(other.ok).toBe(true); // retried in the fresh worker
    expect(client.restarts()).toBe(1);
    expect(made[0]!.terminated).toBe(true);

    // 'a' was loaded in the old worker: decoding it re-reads the file into the new one.
    const frame = await client.decode('a', 0);
    expect(Array.from(frame.data)).toEqual(Array.from(values));
    client.dispose();
  });

  it('reports bad files with their error names and never throws from load', async () => {
    const { make } = fakeWorkerFactory();
    const client = createDecodeClient(make, { timeoutMs: 2000 });
    const r = await client.load('x', new File([new TextEncoder().encode('hello')], 'x.txt'));
    expect(r).toMatchObject({ ok: false, error: { name: 'NotDicomError' } });
    await expect(client.decode('x', 0)).rejects.toMatchObject({ name: 'NotLoadedError' });
    client.dispose();
  });
});
