import { describe, expect, it } from 'vitest';
import { beatsBaselines } from './baseline-verdict';
import { renderCsv, renderJson, renderMarkdown } from './render';
import { buildResultsTable, type SettingResult } from './table';

const scores = (psnr: number, ssim: number) => ({ psnr, ssim });

describe('beats both baselines (PSNR and SSIM)', () => {
  const both = { 'copy-first': scores(19.81, 0.566), 'source-mean': scores(23.12, 0.711) };
  it('needs both numbers above both baselines', () => {
    expect(beatsBaselines(scores(23.2, 0.72), both)).toBe(true);
    // Above copy-first only; above source-mean in PSNR but not SSIM; ties do not beat.
    expect(beatsBaselines(scores(21, 0.6), both)).toBe(false);
    expect(beatsBaselines(scores(24, 0.7), both)).toBe(false);
    expect(beatsBaselines(scores(23.12, 0.8), both)).toBe(false);
  });
  it('gives no verdict without both baselines or numbers', () => {
    expect(beatsBaselines(scores(30, 0.9), { 'copy-first': both['copy-first'] })).toBeNull();
    expect(beatsBaselines({ psnr: null, ssim: 0.9 }, both)).toBeNull();
    expect(beatsBaselines(scores(30, 0.9), { ...both, 'source-mean': scores(Number.NaN, 1) })).toBe(
      null,
    );
  });
});

// K = 1: the model's meta row beats both baselines, its ft row loses to source-mean in SSIM.
// K = 4: no baselines were scored, so the verdict is n/a.
const on = 'id00017×32';
const results: SettingResult[] = [
  { k: 1, method: 'LSR', setting: 'meta', metrics: { psnr: 24, ssim: 0.75 }, scoredOn: on },
  { k: 1, method: 'LSR', setting: 'finetuned', metrics: { psnr: 25, ssim: 0.7 }, scoredOn: on },
  {
    k: 1,
    method: 'copy-first (baseline)',
    setting: 'copy-first',
    metrics: { psnr: 19.81, ssim: 0.566 },
    scoredOn: on,
  },
  {
    k: 1,
    method: 'source-mean (baseline)',
    setting: 'source-mean',
    metrics: { psnr: 23.12, ssim: 0.711 },
    scoredOn: on,
  },
  { k: 4, method: 'LSR', setting: 'meta', metrics: { psnr: 24.5, ssim: 0.76 }, scoredOn: on },
];

describe('results table with baseline rows', () => {
  const table = buildResultsTable(results);

  it('puts baseline rows under their K, one score in both setting groups', () => {
    expect(table.hasBaselines).toBe(true);
    expect(table.rows.map((r) => `${r.k} ${r.method}`)).toEqual([
      '1 LSR',
      '1 copy-first (baseline)',
      '1 source-mean (baseline)',
      '4 LSR',
    ]);
    const mean = table.rows[2]!;
    expect(mean.baseline).toBe('source-mean');
    expect(mean.cells.meta.psnr.value).toBe(23.12);
    expect(mean.cells.finetuned.psnr.value).toBe(23.12);
    expect(mean.beatsBaselines).toBeUndefined();
  });

  it('gives each model row a verdict per setting', () => {
    const [k1, , , k4] = table.rows;
    expect(k1!.beatsBaselines!.meta).toEqual({ value: true, text: 'yes' });
    expect(k1!.beatsBaselines!.finetuned).toEqual({ value: false, text: 'no' });
    expect(k4!.beatsBaselines!.meta.value).toBeNull();
    expect(table.footnotes[k4!.beatsBaselines!.meta.note! - 1]).toMatch(/pass --baselines/);
  });

  it('compares only baselines scored on the same pairs', () => {
    const other = results.map((r) => (r.setting === 'copy-first' ? { ...r, scoredOn: 'x×1' } : r));
    expect(buildResultsTable(other).rows[0]!.beatsBaselines!.meta.value).toBeNull();
  });

  it('renders the verdict column after each setting group in Markdown, CSV and JSON', () => {
    const md = renderMarkdown(table).split('\n');
    expect(md[0]).toContain('| FID↓ | beats both baselines (PSNR & SSIM) | ft PSNR↑ |');
    expect(md[0]!.endsWith('| ft FID↓ | ft beats both baselines (PSNR & SSIM) |')).toBe(true);
    expect(md[2]).toMatch(
      /^\| 1 \| LSR \| 24\.00 \| 0\.750 \| .* \| yes \| 25\.00 \| .* \| no \|$/,
    );
    expect(md[3]).toMatch(
      /^\| 1 \| copy-first \(baseline\) \| 19\.81 \| 0\.566 \| .* \| – \| 19\.81 .* \| – \|$/,
    );
    const csv = renderCsv(table).split('\r\n');
    const head = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    expect(row[head.indexOf('beats both baselines (PSNR & SSIM)')]).toBe('yes');
    expect(row[head.indexOf('ft beats both baselines (PSNR & SSIM)')]).toBe('no');
    const json = JSON.parse(renderJson(table));
    expect(json.rows[0].beatsBaselines).toEqual({
      meta: { value: true },
      finetuned: { value: false },
    });
    expect(json.rows[1].baseline).toBe('copy-first');
    expect(json.rows[1].finetuned.ssim).toEqual({ value: 0.566 });
  });

  it('keeps the plain Table 2 columns when no baseline was scored', () => {
    const plain = buildResultsTable(results.filter((r) => r.k === 4));
    expect(plain.hasBaselines).toBe(false);
    expect(plain.rows[0]!.beatsBaselines).toBeUndefined();
    expect(renderMarkdown(plain)).not.toContain('beats');
  });

  it('refuses a baseline mixed into a model row', () => {
    expect(() => buildResultsTable([results[0]!, { ...results[2]!, method: 'LSR' }])).toThrow(
      /mixes a baseline with other settings/,
    );
  });
});
