import type { MetricsRow } from './metrics-log';

const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
];

/**
 * A self-contained HTML page (no scripts, no external files) with one inline-SVG line chart per
 * metric over examples seen: every loss term, the learning rate and held-out metrics.
 */
export function curvesHtml(title: string, rows: readonly MetricsRow[]): string {
  const series = new Map<string, Array<[number, number]>>();
  const add = (name: string, x: number, y: number) => {
    if (!Number.isFinite(y)) return;
    const s = series.get(name) ?? [];
    s.push([x, y]);
    series.set(name, s);
  };
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.losses)) add(k, r.examples, v);
    for (const [k, v] of Object.entries(r.eval ?? {})) add(`eval.${k}`, r.examples, v);
    add('lr', r.examples, r.lr);
    add('examples/s', r.examples, r.examplesPerSecond);
  }
  const charts = [...series.entries()].map(([name, pts], i) =>
    chart(name, pts, COLOURS[i % COLOURS.length]!),
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:16px}figure{display:inline-block;margin:8px}figcaption{font-size:13px}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${rows.length} logged steps; x axis: examples seen.</p>
${charts.join('\n')}
</body></html>
`;
}

function chart(name: string, pts: ReadonlyArray<[number, number]>, colour: string): string {
  const w = 360;
  const h = 200;
  const pad = 40;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (w - pad - 10);
  const sy = (y: number) => h - pad + 10 - ((y - y0) / (y1 - y0)) * (h - pad);
  const path = pts
    .map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    .join('');
  const fmt = (v: number) =>
    Math.abs(v) >= 1e3 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<rect x="${pad}" y="10" width="${w - pad - 10}" height="${h - pad}" fill="none" stroke="#ccc"/>
<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>
<text x="2" y="18" font-size="10">${fmt(y1)}</text><text x="2" y="${h - pad + 10}" font-size="10">${fmt(y0)}</text>
<text x="${pad}" y="${h - 12}" font-size="10">${x0}</text><text x="${w - 60}" y="${h - 12}" font-size="10">${x1}</text>
</svg><figcaption>${escapeHtml(name)} (last ${fmt(pts.at(-1)![1])})</figcaption></figure>`;
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );
}
