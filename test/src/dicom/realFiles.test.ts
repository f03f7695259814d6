// Real files: the pydicom project's test files (Debian python3-pydicom, fetched by scripts/fetch-pydicom-fixtures.sh)
// and the studyforrest series in ../shared/data. Files holding the same image in several syntaxes decode identically.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { groupSeries } from '../../../src/dicom/groupSeries';
import { inspectBytes } from '../../../src/dicom/inspectFile';

const PYD = 'test/fixtures/pydicom';
const HAS_PYD = existsSync(`${PYD}/.complete`);
const REAL = '../shared/data/dicom/mr-t1-studyforrest';
const HAS_REAL = existsSync(REAL);
if (!HAS_PYD) console.warn('pydicom fixtures skipped: run scripts/fetch-pydicom-fixtures.sh on a Debian machine (apt-get download python3-pydicom)');
if (!HAS_REAL) console.warn(`real series skipped: ${REAL} not present`);

async function pixels(name: string, frame = 0): Promise<number[]> {
  const parsed = parseInstance(new Uint8Array(readFileSync(`${PYD}/${name}`)));
  return Array.from((await decodeFrame(parsed, frame)).data);
}

describe.skipIf(!HAS_PYD)('pydicom test files', () => {
  it('MR_small in seven transfer syntaxes decodes to the same signed 16-bit image', async () => {
    const ref = await pixels('MR_small.dcm');
    expect(ref).toHaveLength(64 * 64);
    expect(Math.min(...ref)).toBeLessThan(Math.max(...ref));
    for (const f of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm', 'MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_padded.dcm']) {
      expect(await pixels(f), f).toEqual(ref);
    }
  });

  it('RT dose (32-bit, 15 frames) is identical in implicit, big endian and RLE, frame by frame', async () => {
    for (const frame of [0, 7, 14]) {
      const ref = await pixels('rtdose.dcm', frame);
      expect(await pixels('rtdose_expb.dcm', frame)).toEqual(ref);
      expect(await pixels('rtdose_rle.dcm', frame)).toEqual(ref);
    }
    expect(await pixels('rtdose_1frame.dcm')).toEqual(await pixels('rtdose_rle_1frame.dcm'));
  });

  it('RGB: RLE (8, 16, 32-bit) and JPEG lossless agree; 2-frame files repeat frame structure', async () => {
    const rle = await pixels('SC_rgb_rle.dcm');
    expect(rle).toHaveLength(100 * 100 * 3);
    expect(await pixels('SC_rgb_jpeg_gdcm.dcm')).toEqual(rle);
    const rle16 = await pixels('SC_rgb_rle_16bit.dcm');
    const rle32 = await pixels('SC_rgb_rle_32bit.dcm');
    // The 16- and 32-bit versions hold the same picture scaled up (v × 257 and v × 16843009).
    expect(rle16.map((v) => Math.round(v / 257))).toEqual(rle);
    expect(rle32.map((v) => Math.round(v / 16843009))).toEqual(rle);
    expect(await pixels('SC_rgb_rle_2frame.dcm', 0)).toEqual(rle);
  });

  it('lossy RGB JPEGs (YBR_FULL, YBR_FULL_422, RGB) decode to colours close to the lossless reference', async () => {
    const ref = await pixels('SC_rgb_rle.dcm');
    for (const f of ['SC_rgb_dcmtk_+eb+cr.dcm', 'SC_rgb_dcmtk_+eb+cy+np.dcm', 'SC_rgb_dcmtk_+eb+cy+s2.dcm', 'SC_rgb_dcmtk_+eb+cy+n1.dcm', 'SC_rgb_jpeg_dcmtk.dcm']) {
      const got = await pixels(f);
      const mean = got.reduce((s, v, i) => s + Math.abs(v - ref[i]!), 0) / got.length;
      expect(mean, f).toBeLessThan(6);
    }
  });

  it('uncompressed YBR_FULL_422 converts to RGB close to the reference', async () => {
    const ref = await pixels('SC_rgb_rle.dcm');
    const got = await pixels('SC_ybr_full_422_uncompressed.dcm');
    const mean = got.reduce((s, v, i) => s + Math.abs(v - ref[i]!), 0) / got.length;
    expect(mean).toBeLessThan(6);
  });

  it('1-bit segmentation: little and big endian agree', async () => {
    const a = await pixels('liver_1frame.dcm');
    expect(new Set(a)).toEqual(new Set([0, 1]));
    expect(await pixels('liver_expb_1frame.dcm')).toEqual(a);
  });

  it('deflated, JPEG 2000 (YBR_RCT, signed), and J2K with a pixel-representation mismatch decode', async () => {
    for (const f of ['image_dfl.dcm', 'GDCMJ2K_TextGBR.dcm', '693_J2KI.dcm', 'J2K_pixelrep_mismatch.dcm', 'JPEG2000.dcm', 'SC_rgb_gdcm_KY.dcm']) {
      const { record } = await inspectBytes(f, new Uint8Array(readFileSync(`${PYD}/${f}`)));
      expect(record.ok, `${f}: ${record.error?.message}`).toBe(true);
    }
  });

  it('every pydicom file gives a record: ok, or a named error — never a throw', async () => {
    for (const f of readdirSync(PYD).filter((n) => n.endsWith('.dcm'))) {
      const { record } = await inspectBytes(f, new Uint8Array(readFileSync(`${PYD}/${f}`)));
      if (!record.ok) expect(record.error!.name, f).toMatch(/^[A-Z]\w+Error$/);
    }
    const truncated = await inspectBytes('MR_truncated.dcm', new Uint8Array(readFileSync(`${PYD}/MR_truncated.dcm`)));
    expect(truncated.record.error?.name).toBe('TruncatedError');
    const sr = await inspectBytes('test-SR.dcm', new Uint8Array(readFileSync(`${PYD}/test-SR.dcm`)));
    expect(sr.record.error?.name).toBe('NoPixelDataError');
  });
});

describe.skipIf(!HAS_REAL)('the real studyforrest series (../shared/data)', () => {
  it('parses all 24 slices, groups them into one series and orders them along the slice normal', async () => {
    const files = readdirSync(REAL).filter((f) => f.endsWith('.dcm')).sort().reverse(); // arrival order scrambled
    const refs = files.map((f, i) => ({ id: String(i), header: parseInstance(new Uint8Array(readFileSync(`${REAL}/${f}`))).header }));
    const studies = groupSeries(refs);
    expect(studies).toHaveLength(1);
    expect(studies[0]!.series).toHaveLength(1);
    const series = studies[0]!.series[0]!;
    expect(series.sortedBy).toBe('position');
    expect(series.images).toHaveLength(24);
    // Positions increase monotonically along the normal.
    const iop = series.instances[0]!.header.imageOrientationPatient!;
    const n = [iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]];
    const d = series.instances.map((i) => i.header.imagePositionPatient!.reduce((s, v, k) => s + v * n[k]!, 0));
    for (let k = 1; k < d.length; k++) expect(d[k]!).toBeGreaterThan(d[k - 1]!);
  });

  it('decodes every slice to a non-constant image', async () => {
    for (const f of readdirSync(REAL).filter((x) => x.endsWith('.dcm'))) {
      const { record, frame } = await inspectBytes(f, new Uint8Array(readFileSync(`${REAL}/${f}`)));
      expect(record.ok, `${f}: ${record.error?.message}`).toBe(true);
      expect(frame!.max).toBeGreaterThan(frame!.min);
    }
  });
});
