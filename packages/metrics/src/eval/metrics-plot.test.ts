import { describe, expect, it } from 'vitest';
import { renderMetricsVsK } from './metrics-plot';

describe('renderMetricsVsK', () => {
  it('places K on a log2 axis and min/max at the plot edges', () => {
    const svg = renderMetricsVsK([
      {
        title: 'PSNR',
        series: [
          {
            name: 'meta',
            dashed: false,
            points: [
              { k: 1, value: 10 },
              { k: 4, value: 20 },
              { k: 32, value: 30 },
            ],
          },
          {
            name: 'ft',
            dashed: true,
            points: [
              { k: 1, value: null },
              { k: 4, value: 25 },
              { k: 32, value: null },
            ],
          },
        ],
      },
      { title: 'FID', series: [{ name: 'meta', dashed: false, points: [{ k: 1, value: null }] }] },
    ]);
    // Plot area x ∈ [46, 210], y ∈ [24, 130]; log2 K ∈ [0, 5]: K=4 at 46 + 0.4·164 = 111.6.
    expect(svg).toContain('points="46.0,130.0 111.6,77.0 210.0,24.0"');
    expect(svg).toContain('stroke-dasharray="4 3"');
    expect(svg).toContain('>n/a</text>'); // the FID panel has no values
    expect(svg.startsWith('<svg')).toBe(true);
  });
  it('rejects an empty figure', () => {
    expect(() => renderMetricsVsK([])).toThrow(/no panels/);
  });
});
