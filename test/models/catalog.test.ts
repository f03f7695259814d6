// The catalogue is the one source of model facts, and its training ranges are the cards' own words: each range the
// out-of-distribution check uses must appear in that model's MODEL_CARD.md, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENHANCE_MODEL_IDS, isEnhanceModelId, MODEL_CATALOG, MODEL_IDS } from '../../models/catalog';
import { MODEL_CARDS } from '../../models/cards';

const cardOf = (id: keyof typeof MODEL_CATALOG) => readFileSync(resolve(__dirname, '../../models', MODEL_CATALOG[id].card), 'utf8');

describe('MODEL_CATALOG', () => {
  it.each(MODEL_IDS)('%s: the card states the spacing, bit depth and modalities the catalogue warns outside', (id) => {
    const m = MODEL_CATALOG[id], card = cardOf(id);
    const [lo, hi] = m.pixelSpacingMm, [b0, b1] = m.bitsStored;
    expect(card).toMatch(new RegExp(`in-plane pixel spacing ${lo}–${hi} mm`));
    expect(card).toMatch(new RegExp(`${b0}- to ${b1}-bit data`));
    // The card's first line names the model and its modalities: "# <id> — … (CT and MR)".
    expect(card.split('\n')[0]).toMatch(new RegExp(`^# ${id} — `));
    expect(card.split('\n')[0]).toContain(`(${m.modalities.join(' and ')})`);
  });

  it.each(MODEL_IDS)('%s: the card states its cost, GFLOPs and measured ms per slice in the browser (issue 16)', (id) => {
    const card = cardOf(id);
    expect(card).toContain(`compute: ${(MODEL_CATALOG[id].flopsPer512Input / 1e9).toFixed(1)} GFLOPs for a 512 × 512`);
    const speed = card.slice(card.indexOf('<!-- SPEED:BEGIN'), card.indexOf('<!-- SPEED:END -->'));
    expect(speed).toMatch(/^- \d+ ms per 512 × 512 slice with 1 WASM thread.*: a 300-slice series in \d+\.\d min$/m);
  });

  it('bundles each card the catalogue names, as the file on disk', () => {
    for (const id of MODEL_IDS) expect(MODEL_CARDS[id]).toBe(cardOf(id));
  });

  it('derives ids, enhancement models and scale from one table', () => {
    expect(MODEL_IDS).toEqual(['sr-x2', 'denoise', 'anomaly']);
    expect(ENHANCE_MODEL_IDS).toEqual(['sr-x2', 'denoise']);
    expect(MODEL_CATALOG['sr-x2'].scale).toBe(2);
    expect(isEnhanceModelId('anomaly')).toBe(false);
    expect(isEnhanceModelId('toString')).toBe(false);
  });
});
