import { describe, expect, it } from 'vitest';
import { renderCsv, renderJson, renderMarkdown } from './render';
import { buildResultsTable, type SettingResult } from './table';

const noLpips = { notRun: 'LPIPS needs AlexNet weights, pass --lpips-weights <file>' };
const results: SettingResult[] = [
  {
    k: 8,
    method: 'LSR (ours)',
    setting: 'meta',
    metrics: { psnr: 19.18, ssim: 0.6451, lpips: noLpips, idSim: 0.917, nmke: 0.039, fid: 44.23 },
  },
  {
    k: 1,
    method: 'LSR (ours)',
    setting: 'finetuned',
    metrics: { psnr: 17.374, ssim: 0.605, lpips: noLpips, idSim: 0.886, nmke: 0.041, fid: 45.69 },
  },
  {
    k: 1,
    method: 'LSR (ours)',
    setting: 'meta',
    metrics: { psnr: 17.27, ssim: 0.598, lpips: noLpips, idSim: 0.869, nmke: 0.041 },
  },
];

describe('results table', () => {
  const table = buildResultsTable(results, { labels: { idSim: 'ID-SIM (MobileFace)' } });

  it('orders rows by K and marks missing metrics n/a with deduplicated footnotes', () => {
    expect(table.rows.map((r) => r.k)).toEqual([1, 8]);
    expect(table.rows[0]!.cells.meta.psnr).toEqual({ value: 17.27, text: '17.27' });
    expect(table.rows[0]!.cells.finetuned.psnr.text).toBe('17.37');
    expect(table.rows[0]!.cells.meta.lpips).toEqual({ value: null, text: 'n/a', note: 1 });
    expect(table.rows[0]!.cells.meta.fid.note).toBe(2);
    expect(table.footnotes).toEqual([
      noLpips.notRun,
      'not computed for this setting',
      'no fine-tuned results were given',
    ]);
    expect(table.rows[1]!.cells.finetuned.psnr.note).toBe(3);
  });

  it('renders Markdown with the Table 2 columns, arrows, relabelled ID-SIM and footnotes', () => {
    const md = renderMarkdown(table);
    const [header, , first] = md.split('\n');
    expect(header).toBe(
      '| K | method | PSNR↑ | SSIM↑ | LPIPS↓ | ID-SIM (MobileFace)↑ | NMKE↓ | FID↓ | ft PSNR↑ | ft SSIM↑ | ft LPIPS↓ | ft ID-SIM (MobileFace)↑ | ft NMKE↓ | ft FID↓ |',
    );
    expect(first).toBe(
      '| 1 | LSR (ours) | 17.27 | 0.598 | n/a [1] | 0.869 | 0.041 | n/a [2] | 17.37 | 0.605 | n/a [1] | 0.886 | 0.041 | 45.69 |',
    );
    expect(md).toContain('\n[1] LPIPS needs AlexNet weights, pass --lpips-weights <file>\n');
  });

  it('renders CSV at full precision with quoted fields and per-row notes', () => {
    const lines = renderCsv(table).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.endsWith(',notes')).toBe(true);
    const fields = lines[2]!.split(',');
    expect(fields.slice(0, 4)).toEqual(['8', 'LSR (ours)', '19.18', '0.6451']);
    expect(lines[2]).toContain(
      '"[1] LPIPS needs AlexNet weights, pass --lpips-weights <file>; [3] no fine-tuned results were given"',
    );
  });

  it('renders JSON that round-trips values and notes', () => {
    const parsed = JSON.parse(renderJson(table));
    expect(parsed.rows[0].meta.psnr).toEqual({ value: 17.27 });
    expect(parsed.rows[0].meta.lpips).toEqual({ value: null, note: 1 });
    expect(parsed.footnotes[2]).toEqual({ id: 3, text: 'no fine-tuned results were given' });
    expect(parsed.labels.idSim).toBe('ID-SIM (MobileFace)');
  });

  it('rejects duplicates and invalid K', () => {
    expect(() => buildResultsTable([results[0]!, results[0]!])).toThrow(/duplicate entry for K=8/);
    expect(() => buildResultsTable([{ ...results[0]!, k: 0 }])).toThrow(
      /K must be a positive integer/,
    );
  });
});
