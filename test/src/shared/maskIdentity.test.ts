// Teaching-safe display text: the patient's name components and ID are blanked as whole words, nothing else.
import { describe, expect, it } from 'vitest';
import { maskIdentity } from '../../../src/shared/maskIdentity';

describe('maskIdentity', () => {
  const p = { patientName: 'Doewicz^Janelle^M=山田^太郎', patientID: 'PID-4471' };
  it('blanks name components and the ID as whole words, without case', () => {
    expect(maskIdentity('CHEST DOEWICZ FOLLOW-UP', p)).toBe('CHEST ••• FOLLOW-UP');
    expect(maskIdentity('janelle, pid-4471: 山田 scan', p)).toBe('•••, •••: ••• scan');
    expect(maskIdentity('Doewiczky and Janelles stay', p)).toBe('Doewiczky and Janelles stay');
  });
  it('leaves text alone when there is nothing to blank, and treats regex characters literally', () => {
    expect(maskIdentity('AXIAL T1', { patientName: '', patientID: '' })).toBe('AXIAL T1');
    expect(maskIdentity('a (b) c', { patientName: '(b)^x', patientID: '.*' })).toBe('a ••• c');
    // A de-identified file's name is a pseudonym or a label: the sample's descriptions stay as written.
    expect(maskIdentity('Synthetic chest CT (phantom)', { patientName: 'PHANTOM^SYNTHETIC', patientID: 'X', patientIdentityRemoved: true })).toBe('Synthetic chest CT (phantom)');
    expect(maskIdentity('Synthetic chest CT (phantom)', { patientName: 'PHANTOM^SYNTHETIC', patientID: 'X' })).toBe('••• chest CT (•••)');
  });
});
