import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from './progress.node-only';

describe('progress', () => {
  it('reports throughput and an ETA from the mean time per unit', () => {
    // 25 of 100 units in 50 s, 250 frames: 5 frames/s; 2 s per unit × 75 left = 150 s.
    const line = progressLine(25, 100, 250, 2, 50, 20);
    expect(line).toContain('[#####...............] 25/100 utterances (25.0%), 2 failed');
    expect(line).toContain('5.00 frames/s');
    expect(line).toContain('ETA 02:30');
  });

  it('writes plain lines when not a TTY, always including the last', () => {
    const lines: string[] = [];
    const p = createProgress(3, { isTTY: false, write: (t) => lines.push(t) }, 60_000);
    p.tick(10, false);
    p.tick(10, false);
    p.tick(0, true);
    p.finish();
    expect(lines.length).toBe(2); // the first tick, then the forced final one
    expect(lines[1]).toMatch(/^progress: 3\/3 utterances \(100.0%\), 1 failed/);
  });
});
