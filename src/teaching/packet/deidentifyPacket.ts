// A teaching packet's contents de-identified before export: every image through the PS3.15 engine with the set's
// secret, and every UID the cases and annotations hold mapped to the same pseudonyms, so findings, key images and
// marks still point at their images. Case and set text is swept for the images' identifying values (names, IDs).
// Pure, thread-neutral (runs in the decode worker).
import { collectIdentifying, deidentify } from '../../dicom/deidentify/deidentify';
import type { BurnedInReason } from '../../dicom/burnedIn';
import { makePseudonyms } from '../../dicom/deidentify/pseudonyms';
import type { DeidOptions } from '../../dicom/deidentify/rules';
import { IdentifyingValues } from '../../dicom/deidentify/values';
import { parseInstance } from '../../dicom/parseInstance';
import type { Annotation, Case, ImageRef, SeriesRef, TeachingSet } from '../model';
import type { PacketContents } from './format';

export interface PacketDeidentification {
  contents: PacketContents;
  /** Images whose header gives a reason to expect burned-in text, by their new SOP Instance UID. */
  burnedIn: { sopInstanceUID: string; reasons: BurnedInReason[] }[];
  /** Text fields of the set and cases where an image's identifying value was found and replaced. */
  textCleaned: number;
}

export function deidentifyPacket(p: PacketContents, secret: Uint8Array, options: DeidOptions): PacketDeidentification {
  const ps = makePseudonyms(secret);
  const uid = (u: string) => (u ? ps.uid(u) : u);
  const identifying = new IdentifyingValues();
  const images = new Map<string, Uint8Array>();
  const burnedIn: PacketDeidentification['burnedIn'] = [];
  for (const [sop, bytes] of p.images) {
    collectIdentifying(parseInstance(bytes).dataSet, identifying);
    const { bytes: out, report } = deidentify(bytes, secret, options);
    images.set(uid(sop), out);
    if (report.burnedIn.length) burnedIn.push({ sopInstanceUID: report.sopInstanceUID, reasons: report.burnedIn });
  }
  let textCleaned = 0;
  const clean = (s: string) => {
    const { bytes, replaced } = identifying.scrub(new TextEncoder().encode(s));
    textCleaned += replaced > 0 ? 1 : 0;
    return replaced > 0 ? new TextDecoder().decode(bytes) : s;
  };
  const image = (r: ImageRef): ImageRef => ({ ...r, studyInstanceUID: uid(r.studyInstanceUID), seriesInstanceUID: uid(r.seriesInstanceUID), sopInstanceUID: uid(r.sopInstanceUID) });
  const series = (s: SeriesRef): SeriesRef => ({
    ...s, studyInstanceUID: uid(s.studyInstanceUID), seriesInstanceUID: uid(s.seriesInstanceUID), sopInstanceUIDs: s.sopInstanceUIDs.map(uid), description: clean(s.description),
  });
  const cases: Case[] = p.cases.map((c) => ({
    ...c, title: clean(c.title), history: clean(c.history), question: clean(c.question), diagnosis: clean(c.diagnosis), discussion: clean(c.discussion),
    series: c.series.map(series), keyImages: c.keyImages.map(image),
    findings: c.findings.map((f) => ({ ...f, image: image(f.image), explanation: clean(f.explanation) })),
    attachments: c.attachments.map((a) => ({ ...a, source: image(a.source) })),
  }));
  const annotations: Annotation[] = p.annotations.map((a) => ({ ...a, image: image(a.image), text: clean(a.text) }));
  const set: TeachingSet = { ...p.set, title: clean(p.set.title), description: clean(p.set.description) };
  return { contents: { ...p, set, cases, annotations, images }, burnedIn, textCleaned };
}
