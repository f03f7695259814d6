// Teaching-safe display text: a description with the patient's own name components and ID blanked, whole words,
// letters compared without case ("CHEST DOE FOLLOW-UP" → "CHEST ••• FOLLOW-UP"). For the screen only; what is
// exported goes through the PS3.15 engine (src/dicom/deidentify). Pure, DOM-free.

export interface PatientIdentity { patientName: string; patientID: string; patientIdentityRemoved?: boolean }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words to blank: each name component of two characters or more, and the patient ID. */
function words(p: PatientIdentity): string[] {
  const parts = p.patientName.split(/[\^=\\ ,]+/).map((w) => w.trim()).filter((w) => w.length >= 2);
  return [...new Set([...parts, p.patientID.trim()].filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length);
}

/** Unchanged for a de-identified file: its name and ID are pseudonyms or labels (the sample's PHANTOM^SYNTHETIC). */
export function maskIdentity(text: string, patient: PatientIdentity): string {
  if (patient.patientIdentityRemoved) return text;
  const ws = words(patient);
  if (ws.length === 0 || !text) return text;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${ws.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(re, '•••');
}
