// Every error a file can fail with reads as a sentence about the file; the parser's text is only the detail.
import { describe, expect, it } from 'vitest';
import { describeFileError } from '../../../src/shared/fileErrorText';
import { DICOM_ERROR_NAMES } from '../../../src/shared/errors';
import { inspectBytes } from '../../../src/dicom/inspectFile';
import { makeImage, pattern } from '../../fixtures/makeImage';
import { TS_UID } from '../../../src/dicom/transferSyntax';

describe('describeFileError', () => {
  it('has its own sentence for every DICOM error and for the decode worker failures', () => {
    const names = [...DICOM_ERROR_NAMES, 'DecodeTimeoutError', 'DecodeWorkerCrashedError'];
    const sentences = names.map((name) => describeFileError({ name, message: 'x' }).sentence);
    expect(new Set(sentences).size).toBe(names.length); // none falls back to the generic one
    for (const s of sentences) expect(s).toMatch(/^This file|^The |^Reading this file/);
  });

  it('a file cut inside its header: the sentence says so, the parser text is only the detail', async () => {
    const bytes = await makeImage({ rows: 8, columns: 8, bitsAllocated: 16, values: Uint16Array.from(pattern(8, 8, 0, 100)) }, TS_UID.explicitLE);
    for (const cut of [150, 200, 260]) {
      const { record } = await inspectBytes('cut.dcm', bytes.slice(0, cut));
      const { sentence, detail } = describeFileError(record.error!);
      expect(sentence, `cut at ${cut}: ${record.error!.name}`).toContain('cut short');
      expect(sentence).not.toMatch(/dicomParser|ByteStream|position|buffer/);
      expect(detail).toBe(record.error!.message);
    }
  });

  it('an unknown name still gives a sentence', () => {
    expect(describeFileError({ name: 'SomethingNewError', message: 'internal text' })).toEqual({ sentence: 'This file could not be read.', detail: 'internal text' });
  });
});
