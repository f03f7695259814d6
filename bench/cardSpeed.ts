// The SPEED block of each model card: what the model costs in the browser on the machine the bench ran on, written by
// `BENCH_WRITE_CARDS=1 npm run bench` (the Chromium part of bench/inference.ts), so a card states measured ms, never
// a guess. The block sits after META (models/training/evaluate.py writes that one). Node only.
import { readFileSync, writeFileSync } from 'node:fs';

export const SPEED_BEGIN = '<!-- SPEED:BEGIN (written by BENCH_WRITE_CARDS=1 npm run bench) -->';
export const SPEED_END = '<!-- SPEED:END -->';

export interface SpeedRow { threads: number; msPerSlice: number }

/** The block's lines: ms per 512² slice and per 300-slice series at each thread count measured, the default marked. */
export function speedBlock(rows: SpeedRow[], o: { cores: number; defaultThreads: number; date: string }): string {
  const lines = rows.map((r) => `- ${Math.round(r.msPerSlice)} ms per 512 × 512 slice with ${r.threads} WASM thread${r.threads > 1 ? 's' : ''}`
    + `${r.threads === o.defaultThreads ? ' (what the app runs on this machine)' : ''}: a 300-slice series in ${(r.msPerSlice * 300 / 60_000).toFixed(1)} min`);
  return [SPEED_BEGIN, `In the browser (Chromium, production build, the app's inference worker; a ${o.cores}-core machine without GPU, measured ${o.date}):`, ...lines, SPEED_END].join('\n');
}

/** The card with its SPEED block replaced, or inserted after the META block when it has none yet. */
export function withSpeedBlock(card: string, block: string): string {
  const a = card.indexOf(SPEED_BEGIN), b = card.indexOf(SPEED_END);
  if (a >= 0 && b > a) return card.slice(0, a) + block + card.slice(b + SPEED_END.length);
  const meta = card.indexOf('<!-- META:END -->');
  if (meta < 0) throw new Error('The model card has no META block to put the SPEED block after');
  const at = meta + '<!-- META:END -->'.length;
  return `${card.slice(0, at)}\n${block}${card.slice(at)}`;
}

export function writeCardSpeed(path: string, block: string): void {
  writeFileSync(path, withSpeedBlock(readFileSync(path, 'utf8'), block));
}
