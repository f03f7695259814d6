// Reading values from the DICOM JSON model (PS3.18 Annex F.2): `{ "0020000D": { "vr": "UI", "Value": [...] } }`.
// Thread-neutral. Servers differ in small ways (IS/DS as numbers or strings, PN as objects); these accept both.

export type DicomJsonDataset = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/** The datasets of a QIDO/STOW answer; anything else is not DICOM JSON. */
export function isDatasetList(json: unknown): json is DicomJsonDataset[] {
  return Array.isArray(json) && json.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d));
}

export function isDataset(json: unknown): json is DicomJsonDataset {
  return json !== null && typeof json === 'object' && !Array.isArray(json);
}

/** Tag as the model writes it: 8 upper-case hex digits. */
function key(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(8, '0');
}

/** Every value of an element as text (PN: the alphabetic group). */
export function texts(ds: DicomJsonDataset, tag: number): string[] {
  const values = ds[key(tag)]?.Value ?? [];
  return values.map((v) => {
    if (v && typeof v === 'object' && 'Alphabetic' in v) return String((v as { Alphabetic: unknown }).Alphabetic ?? '');
    return v === null || v === undefined ? '' : String(v);
  });
}

/** The first value as text, '' when absent. */
export function text(ds: DicomJsonDataset, tag: number): string {
  return texts(ds, tag)[0] ?? '';
}

/** The first value as a number, undefined when absent or not numeric. */
export function num(ds: DicomJsonDataset, tag: number): number | undefined {
  const t = text(ds, tag).trim();
  const n = t === '' ? NaN : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The items of a sequence element. */
export function items(ds: DicomJsonDataset, tag: number): DicomJsonDataset[] {
  const values = ds[key(tag)]?.Value ?? [];
  return values.filter(isDataset);
}
