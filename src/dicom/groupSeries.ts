// Parsed instance headers → studies → series → ordered images (one per frame).
// Thread-neutral, pure. Slices are ordered along the slice normal (row × column cosines, PS3.3 C.7.6.2.1.1)
// by the projection of ImagePositionPatient; without geometry, by InstanceNumber; ties by arrival order.
import type { InstanceHeader } from '../shared/types';

export interface InstanceRef { id: string; header: InstanceHeader }
export interface ImageRef { instanceId: string; frame: number }

export interface Series {
  seriesInstanceUID: string;
  studyInstanceUID: string;
  description: string;
  modality: string;
  seriesNumber: number | null;
  instances: InstanceRef[];
  /** Every displayable image in order: each instance's frames in turn. */
  images: ImageRef[];
  /** How the order was decided: 'position' (slice normal), 'instance-number' or 'arrival'. */
  sortedBy: 'position' | 'instance-number' | 'arrival';
}

export interface Study {
  studyInstanceUID: string;
  description: string;
  date: string;
  patientName: string;
  patientID: string;
  /** Patient Identity Removed (0012,0062) = YES in the study's first instance: its name and ID are pseudonyms. */
  patientIdentityRemoved: boolean;
  series: Series[];
}

function normalOf(iop: NonNullable<InstanceHeader['imageOrientationPatient']>): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = iop;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

/** Position of each instance along the series' slice normal (mm), or null when geometry is missing. */
export function slicePositions(instances: InstanceRef[]): number[] | null {
  const iop = instances.find((i) => i.header.imageOrientationPatient)?.header.imageOrientationPatient;
  if (!iop || instances.some((i) => !i.header.imagePositionPatient)) return null;
  const n = normalOf(iop);
  return instances.map((i) => {
    const p = i.header.imagePositionPatient!;
    return p[0] * n[0] + p[1] * n[1] + p[2] * n[2];
  });
}

export function sortInstances(instances: InstanceRef[]): { sorted: InstanceRef[]; sortedBy: Series['sortedBy'] } {
  const indexed = instances.map((inst, arrival) => ({ inst, arrival }));
  const positions = slicePositions(instances);
  // Use geometry only when it separates the slices (multi-frame single files have one position).
  if (positions && new Set(positions.map((p) => p.toFixed(4))).size === positions.length && positions.length > 1) {
    const pos = new Map(indexed.map((x, k) => [x, positions[k]!]));
    indexed.sort((a, b) => pos.get(a)! - pos.get(b)! || a.arrival - b.arrival);
    return { sorted: indexed.map((x) => x.inst), sortedBy: 'position' };
  }
  if (instances.every((i) => i.header.instanceNumber !== null)) {
    indexed.sort((a, b) => a.inst.header.instanceNumber! - b.inst.header.instanceNumber! || a.arrival - b.arrival);
    return { sorted: indexed.map((x) => x.inst), sortedBy: 'instance-number' };
  }
  return { sorted: instances.slice(), sortedBy: 'arrival' };
}

export function groupSeries(instances: InstanceRef[]): Study[] {
  const studies = new Map<string, Study>();
  const seriesMap = new Map<string, InstanceRef[]>();
  for (const inst of instances) {
    const h = inst.header;
    const studyUID = h.studyInstanceUID || '(no study UID)';
    // Without a SeriesInstanceUID, fall back to the file itself so unrelated files are never merged.
    const seriesUID = h.seriesInstanceUID || `(no series UID) ${inst.id}`;
    if (!studies.has(studyUID)) {
      studies.set(studyUID, { studyInstanceUID: studyUID, description: h.studyDescription, date: h.studyDate, patientName: h.patientName, patientID: h.patientID, patientIdentityRemoved: h.patientIdentityRemoved, series: [] });
    }
    const key = `${studyUID}\u0000${seriesUID}`;
    const list = seriesMap.get(key);
    if (list) list.push(inst); else seriesMap.set(key, [inst]);
  }
  for (const [key, list] of seriesMap) {
    const studyUID = key.split('\u0000')[0]!;
    const first = list[0]!.header;
    const { sorted, sortedBy } = sortInstances(list);
    studies.get(studyUID)!.series.push({
      seriesInstanceUID: first.seriesInstanceUID || key.split('\u0000')[1]!,
      studyInstanceUID: studyUID,
      description: first.seriesDescription,
      modality: first.modality,
      seriesNumber: first.seriesNumber,
      instances: sorted,
      images: sorted.flatMap((inst) => Array.from({ length: Math.max(1, inst.header.frames) }, (_, frame) => ({ instanceId: inst.id, frame }))),
      sortedBy,
    });
  }
  for (const study of studies.values()) {
    study.series.sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity) || a.description.localeCompare(b.description));
  }
  return [...studies.values()];
}
