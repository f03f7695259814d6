// The PS3.6 data dictionary (dcmjs's copy): VR and keyword of a tag, for implicit-VR datasets and for showing names.
// Thread-neutral. Keys are dicom-parser's ('x' + group + element, lower-case hex) or the bare 8 hex digits.
import dcmjs from 'dcmjs';

function entry(key: string) {
  const hex = key.replace(/^x/, '').toUpperCase();
  return dcmjs.data.DicomMetaDictionary.dictionary[`(${hex.slice(0, 4)},${hex.slice(4, 8)})`];
}

const AMBIGUOUS: Record<string, string> = { xs: 'US', ox: 'OW', xx: 'OW' };

/** The VR the dictionary gives a tag ("US or SS" as US, "OB or OW" as OW), or undefined when it is not listed. */
export function dictionaryVr(key: string): string | undefined {
  const vr = entry(key)?.vr;
  return vr === undefined ? undefined : AMBIGUOUS[vr] ?? vr.slice(0, 2);
}

/** The PS3.6 keyword (e.g. "PatientName"), or the tag as "(GGGG,EEEE)" when not listed. */
export function keywordOf(key: string): string {
  const hex = key.replace(/^x/, '').toUpperCase();
  return entry(key)?.name ?? `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}
