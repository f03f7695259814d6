// Export refuses identified instances (checkDeidentified); migratePacket walks version steps in order and refuses
// versions it has no path from.
import { describe, expect, it } from 'vitest';
import { checkDeidentified } from '../../../../src/teaching/packet/checkDeidentified';
import { migratePacket, type PacketMigration } from '../../../../src/teaching/packet/migratePacket';
import { writePacket } from '../../../../src/teaching/packet/writePacket';
import { readHeaderFields } from '../../../../src/dicom/readHeaderFields';
import { parseInstance } from '../../../../src/dicom/parseInstance';
import { instanceBytes, makeContents } from '../../../fixtures/teachingPacket';

describe('export refuses identified data', () => {
  it('the sample writer marks its phantom de-identified, and the header reads it', () => {
    const { header, dataSet } = parseInstance(instanceBytes(0).bytes);
    expect(header.patientIdentityRemoved).toBe(true);
    expect(dataSet.string('x00120063')).toBe('Synthetic phantom: no patient data');
    expect(readHeaderFields(dataSet, '').patientIdentityRemoved).toBe(true);
  });

  it('writePacket refuses an instance without Patient Identity Removed = YES, naming how many and why', async () => {
    const contents = makeContents();
    const identified = instanceBytes(1, (els) => els.filter((e) => e.tag !== 0x00120062));
    contents.images.set(identified.sop, identified.bytes);
    const e = await writePacket(contents).then(() => null, (err: Error) => err);
    expect(e?.name).toBe('IdentifiedDataError');
    expect(e?.message).toMatch(/^Export refused: 1 of 2 images is not marked as de-identified \(Patient Identity Removed \(0012,0062\) is not YES\)/);
  });

  it('"NO" is not de-identified either; every instance must say YES', () => {
    const no = parseInstance(instanceBytes(0, (els) => els.map((e) => (e.tag === 0x00120062 ? { ...e, value: 'NO' } : e))).bytes).header;
    const yes = parseInstance(instanceBytes(1).bytes).header;
    expect(() => checkDeidentified([yes])).not.toThrow();
    expect(() => checkDeidentified([yes, no, no])).toThrow(/2 of 3 images are not marked/);
    expect(() => checkDeidentified([])).not.toThrow();
  });
});

describe('migratePacket', () => {
  const base = { format: 'lucid-teaching-packet' };
  it('applies each step in order up to the target version', () => {
    const steps: Record<number, PacketMigration> = {
      0: (m) => ({ ...m, schemaVersion: 1, trail: ['0→1'] }),
      1: (m) => ({ ...m, schemaVersion: 2, trail: [...(m.trail as string[]), '1→2'] }),
    };
    expect(migratePacket({ ...base, schemaVersion: 0 }, steps, 2)).toEqual({ ...base, schemaVersion: 2, trail: ['0→1', '1→2'] });
    expect(migratePacket({ ...base, schemaVersion: 1, trail: [] }, steps, 2)).toEqual({ ...base, schemaVersion: 2, trail: ['1→2'] });
    expect(migratePacket({ ...base, schemaVersion: 2 }, steps, 2)).toEqual({ ...base, schemaVersion: 2 });
  });
  it('refuses newer, unknown older and missing versions with PacketVersionError', () => {
    for (const v of [3, 0, -1, 1.5, '1', undefined]) {
      expect(() => migratePacket({ ...base, schemaVersion: v }, { 1: (m) => ({ ...m, schemaVersion: 2 }) }, 2)).toThrow(expect.objectContaining({ name: 'PacketVersionError' }));
    }
  });
});
