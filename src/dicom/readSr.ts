// A structured report's measurement groups (TID 1500 and the like, from Lucid or any other tool), read from its
// content tree: for each group its finding and label, its numbers (concept, value, unit) and its regions (SCOORD
// graphic data on a referenced image and frame). Enough to list a stored report's findings beside the images they
// point at. Thread-neutral (decode worker); reads dicom-parser datasets, never throws on odd trees (it skips).
import type { DataSet } from 'dicom-parser';

export interface ReportRegion {
  sopInstanceUID: string;
  /** 0-based frame (the SR's Referenced Frame Number is 1-based). */
  frame: number;
  graphicType: string;
  /** Column, row pairs in image pixels (SCOORD's order; (0, 0) is the top-left corner of the first pixel). */
  points: number[];
}

export interface ReportGroup {
  /** Tracking identifier or finding text, whichever the group has. */
  label: string;
  finding: string;
  values: { name: string; value: number; unit: string }[];
  regions: ReportRegion[];
}

export interface StructuredReport {
  title: string;
  /** Who made it: a device observer's name (an algorithm) or a person's. */
  observer: string;
  groups: ReportGroup[];
}

const SR_CLASS_PREFIX = '1.2.840.10008.5.1.4.1.1.88.';

export function isStructuredReport(sopClassUID: string): boolean {
  return sopClassUID.startsWith(SR_CLASS_PREFIX);
}

const MAX_DEPTH = 16;
const MAX_ITEMS = 100_000;

function items(ds: DataSet, tag: string): DataSet[] {
  return (ds.elements[tag]?.items ?? []).flatMap((i) => (i.dataSet ? [i.dataSet] : []));
}
const str = (ds: DataSet, tag: string) => (ds.string(tag) ?? '').trim();
const meaning = (ds: DataSet, tag: string) => { const c = items(ds, tag)[0]; return c ? str(c, 'x00080104') : ''; };

function floats(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el) return [];
  const n = Math.floor(el.length / 4);
  return Array.from({ length: n }, (_, i) => ds.float(tag, i) ?? NaN).filter(Number.isFinite);
}

/** The measurement groups of an SR dataset (empty when it has none or its tree is not one this reads). */
export function readStructuredReport(ds: DataSet): StructuredReport {
  const groups: ReportGroup[] = [];
  let observer = '';
  let seen = 0;
  const walk = (node: DataSet, depth: number, group: ReportGroup | null) => {
    if (depth > MAX_DEPTH) return;
    for (const child of items(node, 'x0040a730')) {
      if (++seen > MAX_ITEMS) return;
      const type = str(child, 'x0040a040');
      const name = meaning(child, 'x0040a043');
      if (type === 'CONTAINER' && /measurement group/i.test(name)) {
        const g: ReportGroup = { label: '', finding: '', values: [], regions: [] };
        groups.push(g);
        walk(child, depth + 1, g);
        if (!g.label) g.label = g.finding || `Group ${groups.length}`;
        continue;
      }
      if (!group) {
        if ((type === 'TEXT' || type === 'PNAME') && /device observer name|person observer name/i.test(name) && !observer) observer = str(child, type === 'TEXT' ? 'x0040a160' : 'x0040a123');
        walk(child, depth + 1, null);
        continue;
      }
      if (type === 'TEXT' && /tracking identifier/i.test(name)) group.label = str(child, 'x0040a160');
      else if (type === 'CODE' && /finding/i.test(name)) group.finding = meaning(child, 'x0040a168');
      else if (type === 'NUM') {
        const mv = items(child, 'x0040a300')[0];
        const value = mv ? Number(str(mv, 'x0040a30a')) : NaN;
        if (Number.isFinite(value)) group.values.push({ name, value, unit: mv ? meaning(mv, 'x004008ea') : '' });
      } else if (type === 'SCOORD') {
        const image = items(child, 'x0040a730').find((i) => str(i, 'x0040a040') === 'IMAGE');
        const ref = image ? items(image, 'x00081199')[0] : undefined;
        if (ref) {
          const frame = Number(str(ref, 'x00081160') || '1') - 1;
          group.regions.push({ sopInstanceUID: str(ref, 'x00081155'), frame: Number.isInteger(frame) && frame >= 0 ? frame : 0, graphicType: str(child, 'x00700023'), points: floats(child, 'x00700022') });
        }
      }
      walk(child, depth + 1, group);
    }
  };
  walk(ds, 0, null);
  return { title: meaning(ds, 'x0040a043'), observer, groups };
}
