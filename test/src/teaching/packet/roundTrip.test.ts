// writePacket → readPacket gives back exactly what went in: records deep-equal, images byte for byte, outputs bit for bit.
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { readPacket } from '../../../../src/teaching/packet/readPacket';
import { writePacket } from '../../../../src/teaching/packet/writePacket';
import { PACKET_SCHEMA_VERSION } from '../../../../src/teaching/packet/format';
import { makeContents } from '../../../fixtures/teachingPacket';

describe('teaching packet round trip', () => {
  it('restores set, cases, findings, annotations, images, outputs and model cards exactly', async () => {
    const contents = makeContents();
    const packet = await writePacket(contents, { createdAt: 1_767_225_600_000, appVersion: '0.1.0' });
    const back = await readPacket(packet);
    expect(back.set).toEqual(contents.set);
    expect(back.cases).toEqual(contents.cases);
    expect(back.annotations).toEqual(contents.annotations);
    expect(back.modelCards).toEqual(contents.modelCards);
    expect([...back.images.keys()]).toEqual([...contents.images.keys()]);
    for (const [sop, bytes] of contents.images) expect(Buffer.compare(back.images.get(sop)!, bytes)).toBe(0);
    const out = back.outputs.get('out:anomaly:1')!;
    const want = contents.outputs.get('out:anomaly:1')!;
    expect([out.rows, out.columns]).toEqual([want.rows, want.columns]);
    expect(new Uint8Array(out.values.buffer)).toEqual(new Uint8Array(want.values.buffer)); // NaN included, bit for bit
    // Findings in the same pixel positions (the deep-equal above covers it; spelt out for the one a reader checks).
    expect(back.cases[1]!.findings[1]!.region).toEqual({ kind: 'freehand', points: [{ x: 1, y: 1 }, { x: 9, y: 1.5 }, { x: 5, y: 8 }, { x: 0.1, y: 6 }] });
  });

  it('writes the documented layout: manifest, dicom/<n>.dcm stored, outputs/<n>.f32, models/<n>.md', async () => {
    const packet = await writePacket(makeContents(), { createdAt: 0 });
    const files = unzipSync(packet);
    expect(Object.keys(files)).toEqual(['lucid-packet.json', 'dicom/0.dcm', 'dicom/1.dcm', 'outputs/0.f32', 'models/0.md']);
    const manifest = JSON.parse(new TextDecoder().decode(files['lucid-packet.json']));
    expect(manifest).toMatchObject({ format: 'lucid-teaching-packet', schemaVersion: PACKET_SCHEMA_VERSION, appVersion: 'unknown', createdAt: 0 });
    expect(manifest.images[0]).toMatchObject({ path: 'dicom/0.dcm', bytes: files['dicom/0.dcm']!.length });
    expect(manifest.images[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    // DICOM is stored, not recompressed: the file's bytes appear verbatim in the packet.
    expect(Buffer.from(packet).indexOf(Buffer.from(files['dicom/1.dcm']!))).toBeGreaterThan(0);
  });

  it('is deterministic: the same contents and options give the same bytes', async () => {
    const a = await writePacket(makeContents(), { createdAt: 5, appVersion: 'x' });
    const b = await writePacket(makeContents(), { createdAt: 5, appVersion: 'x' });
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
