// The view on screen as a PNG for slides: the image as drawn (with the measurements and overlays painted on it) and,
// if asked, the labels a slide needs — series (identity masked), modality, slice, window, orientation, scale bar —
// never the patient's name, ID, birth date or institution, whatever the teaching-safe switch says. UI thread.
import type { InstanceHeader } from '../shared/types';
import { maskIdentity } from '../shared/maskIdentity';
import type { EdgeLabels } from '../shared/orientation';

export interface ViewLabels {
  corners: { tl: string[]; bl: string[] };
  edges: EdgeLabels | null;
  bar: { mm: number; px: number } | null;
}

/** The text a saved view carries: only what describes the image, with the series label masked as in teaching-safe mode. */
export function viewLabels(h: InstanceHeader | undefined, o: { seriesLabel: string; modality: string; slice: string; window: string; location: string; edges: EdgeLabels | null; bar: { mm: number; px: number } | null }): ViewLabels {
  const series = h ? maskIdentity(o.seriesLabel, h) : o.seriesLabel;
  return { corners: { tl: [series, o.modality].filter(Boolean), bl: [o.slice, o.location, o.window].filter(Boolean) }, edges: o.edges, bar: o.bar };
}

/** Draws `source` (the viewport's canvas) and, with `labels`, the labels onto a new canvas; resolves to PNG bytes. */
export function viewPng(source: HTMLCanvasElement, labels: ViewLabels | null): Promise<Blob> {
  const c = document.createElement('canvas');
  c.width = source.width;
  c.height = source.height;
  const ctx = c.getContext('2d')!;
  ctx.drawImage(source, 0, 0);
  if (labels) {
    const fs = Math.max(12, Math.round(c.height / 45));
    ctx.font = `${fs}px system-ui, sans-serif`;
    ctx.fillStyle = '#e0e0e0';
    ctx.shadowColor = '#000';
    ctx.shadowBlur = 3;
    const pad = fs / 2;
    ctx.textBaseline = 'top';
    labels.corners.tl.forEach((t, i) => ctx.fillText(t, pad, pad + i * fs * 1.25));
    ctx.textBaseline = 'bottom';
    [...labels.corners.bl].reverse().forEach((t, i) => ctx.fillText(t, pad, c.height - pad - i * fs * 1.25));
    if (labels.edges) {
      ctx.font = `bold ${fs + 2}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top'; ctx.fillText(labels.edges.top, c.width / 2, pad);
      ctx.textBaseline = 'bottom'; ctx.fillText(labels.edges.bottom, c.width / 2, c.height - pad);
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left'; ctx.fillText(labels.edges.left, pad, c.height / 2);
      ctx.textAlign = 'right'; ctx.fillText(labels.edges.right, c.width - pad, c.height / 2);
    }
    if (labels.bar) {
      const x1 = c.width - pad, x0 = x1 - labels.bar.px, y = c.height - pad - fs * 1.4;
      ctx.strokeStyle = '#e0e0e0';
      ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(x0, y - 6); ctx.lineTo(x0, y); ctx.lineTo(x1, y); ctx.lineTo(x1, y - 6); ctx.stroke();
      ctx.font = `${fs}px system-ui, sans-serif`;
      ctx.textAlign = 'right'; ctx.textBaseline = 'bottom';
      ctx.fillText(`${labels.bar.mm} mm`, x1, c.height - pad);
    }
  }
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('The view could not be saved as PNG'))), 'image/png'));
}
