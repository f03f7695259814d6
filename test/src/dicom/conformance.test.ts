// Conformance against independent reference decoders: every frame of every pydicom test file that pydicom (with
// Pillow), or DCMTK's dcmdjpls/dcmdjpeg followed by pydicom, can decode is decoded by Lucid and compared. Lossless
// syntaxes must match exactly; lossy ones within rounding (decoders may round an IDCT differently: mean under 0.5, no value off by more than 4).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstance } from '../../../src/dicom/parseInstance';
import { decodeFrame } from '../../../src/dicom/decodeFrame';
import { TRANSFER_SYNTAX } from '../../../src/dicom/transferSyntax';
import { readNpy } from '../../fixtures/readNpy';

const PYD = 'test/fixtures/pydicom';
const PYTHON = '/usr/bin/python3';
const NEEDS = [`${PYD}/.complete`, ...['pydicom', 'numpy', 'PIL'].map((m) => `/usr/lib/python3/dist-packages/${m}`), '/usr/bin/dcmdjpeg', '/usr/bin/dcmdjpls'];
const HAS = NEEDS.every((p) => existsSync(p));
if (!HAS) console.warn(`conformance skipped: missing ${NEEDS.filter((p) => !existsSync(p)).join(', ')} (apt-get install -y python3-pydicom python3-numpy python3-pil dcmtk)`);

/**
 * Where the references and Lucid disagree, and a lossless copy of the same picture says who is right. GDCM wrote this
 * lossy JPEG from YCbCr data (component ids 1, 2, 3, no JFIF or Adobe marker) with Photometric Interpretation RGB:
 * pydicom/Pillow and DCMTK both take RGB literally (mean error 92 against the lossless original); Lucid follows
 * libjpeg's rule for such streams and converts, landing within a few levels of the original.
 */
const DISAGREE: Record<string, { truth: string; maxMean: number }> = {
  'SC_rgb_jpeg_lossy_gdcm.dcm': { truth: 'SC_rgb_rle.dcm', maxMean: 6 },
};

interface Ref { file: string; ok: boolean; npy?: string; shape?: number[]; photometric?: string; decoder?: string; error?: string }

describe.skipIf(!HAS)('conformance with pydicom / DCMTK reference decodes', () => {
  it('every file the references decode: lossless identical, lossy within IDCT rounding', async () => {
    const files = readdirSync(PYD).filter((f) => f.endsWith('.dcm')).sort();
    const out = mkdtempSync(join(tmpdir(), 'lucid-ref-'));
    const lines = execFileSync(PYTHON, ['test/scripts/referencePixels.py', out, ...files.map((f) => join(PYD, f))], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const refs: Ref[] = lines.trim().split('\n').map((l) => JSON.parse(l));
    const compared: string[] = [];
    const lossyErrors: string[] = [];
    const problems: string[] = [];
    for (const ref of refs.filter((r) => r.ok)) {
      try {
        const parsed = parseInstance(new Uint8Array(readFileSync(join(PYD, ref.file))));
        const truth = DISAGREE[ref.file];
        const { data: want, shape } = readNpy(truth ? refs.find((r) => r.file === truth.truth)!.npy! : ref.npy!);
        const frames = shape[0]!;
        if (parsed.header.frames !== frames) { problems.push(`${ref.file}: ${parsed.header.frames} frames, reference ${frames}`); continue; }
        const lossy = TRANSFER_SYNTAX[parsed.header.transferSyntaxUID]?.lossy ?? false;
        const per = want.length / frames;
        let sumAbs = 0, maxAbs = 0;
        for (let f = 0; f < frames; f++) {
          const got = (await decodeFrame(parsed, f)).data;
          if (got.length !== per) throw new Error(`frame ${f}: ${got.length} values, reference ${per}`);
          for (let k = 0; k < per; k++) {
            const d = Math.abs(Number(got[k]) - Number(want[f * per + k]));
            sumAbs += d;
            if (d > maxAbs) maxAbs = d;
          }
        }
        const mean = sumAbs / want.length;
        const what = `${ref.file} (${ref.decoder}, ${lossy ? 'lossy' : 'lossless'}): mean error ${mean.toFixed(3)}, max ${maxAbs}`;
        if (truth) lossyErrors.push(`${what} against ${truth.truth}, the same picture lossless (references disagree)`);
        else if (lossy) lossyErrors.push(what);
        if (truth ? mean >= truth.maxMean : lossy ? mean >= 0.5 || maxAbs > 4 : maxAbs !== 0) problems.push(what);
        else compared.push(ref.file);
      } catch (e) {
        problems.push(`${ref.file} (${ref.decoder}): Lucid ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    console.log(`conformance: ${compared.length} files compared with pydicom/DCMTK; lossy: ${lossyErrors.join('; ')}`);
    // The references read 47 of the 68 files (the rest have no pixel data, no meta header, or are broken on purpose).
    expect(compared.length).toBeGreaterThanOrEqual(47);
  });
});
