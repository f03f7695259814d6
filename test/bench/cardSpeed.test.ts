// The SPEED block the bench writes into each model card (bench/cardSpeed.ts): replaced in place, inserted after META
// when missing, and stating ms per slice and per 300-slice series for each thread count measured.
import { describe, expect, it } from 'vitest';
import { SPEED_BEGIN, SPEED_END, speedBlock, withSpeedBlock } from '../../bench/cardSpeed';

const block = (ms: number) => speedBlock([{ threads: 1, msPerSlice: ms }, { threads: 2, msPerSlice: ms / 2 }], { cores: 2, defaultThreads: 1, date: '2026-11-28' });

describe('model card SPEED block', () => {
  it('states ms per slice and the 300-slice series time, marking the thread count the app runs', () => {
    const b = block(1897.4);
    expect(b).toContain('- 1897 ms per 512 × 512 slice with 1 WASM thread (what the app runs on this machine): a 300-slice series in 9.5 min');
    expect(b).toContain('- 949 ms per 512 × 512 slice with 2 WASM threads: a 300-slice series in 4.7 min');
    expect(b).toContain('2-core machine without GPU, measured 2026-11-28');
  });

  it('goes after the META block the first time and replaces itself afterwards, leaving the rest of the card alone', () => {
    const card = '# m\n<!-- META:BEGIN x -->\n- sha\n<!-- META:END -->\n\n## Next\ntext\n';
    const once = withSpeedBlock(card, block(1000));
    expect(once).toBe(`# m\n<!-- META:BEGIN x -->\n- sha\n<!-- META:END -->\n${block(1000)}\n\n## Next\ntext\n`);
    const twice = withSpeedBlock(once, block(500));
    expect(twice.split(SPEED_BEGIN)).toHaveLength(2);
    expect(twice.split(SPEED_END)).toHaveLength(2);
    expect(twice).toContain('- 500 ms per 512');
    expect(twice).not.toContain('- 1000 ms per 512');
    expect(twice.endsWith('\n\n## Next\ntext\n')).toBe(true);
  });

  it('refuses a card without a META block', () => {
    expect(() => withSpeedBlock('# m\n', block(1))).toThrow(/no META block/);
  });
});
