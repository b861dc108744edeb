/** One line of a panel: a setting's metric value at each K (null = not available). */
export interface PlotSeries {
  readonly name: string;
  readonly dashed: boolean;
  readonly points: readonly { k: number; value: number | null }[];
}

/** One small panel: a metric against K. */
export interface PlotPanel {
  readonly title: string;
  readonly series: readonly PlotSeries[];
}

const PANEL_W = 220;
const PANEL_H = 160;
const MARGIN = { left: 46, right: 10, top: 24, bottom: 30 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const escapeXml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));

/**
 * Renders panels side by side as a standalone SVG. K is placed on a log2 axis (the protocol's
 * K = 1, 4, 8, 32 are far apart linearly); y spans each panel's own min..max. Points that are
 * null are left out and a panel without any value says "n/a" instead of drawing an empty frame.
 */
export function renderMetricsVsK(panels: readonly PlotPanel[]): string {
  if (panels.length === 0) throw new Error('renderMetricsVsK: no panels');
  const width = PANEL_W * panels.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H + 20}" font-family="sans-serif" font-size="10">`,
    `<rect width="${width}" height="${PANEL_H + 20}" fill="white"/>`,
  ];
  panels.forEach((panel, p) => {
    parts.push(renderPanel(panel, p * PANEL_W));
  });
  const legendNames = panels[0]!.series.map((s, i) => ({
    s,
    colour: COLOURS[i % COLOURS.length]!,
  }));
  legendNames.forEach(({ s, colour }, i) => {
    const x = 10 + i * 120;
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : '';
    parts.push(
      `<line x1="${x}" y1="${PANEL_H + 10}" x2="${x + 24}" y2="${PANEL_H + 10}" stroke="${colour}" stroke-width="2"${dash}/>`,
      `<text x="${x + 28}" y="${PANEL_H + 14}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function renderPanel(panel: PlotPanel, x0: number): string {
  const ks = [...new Set(panel.series.flatMap((s) => s.points.map((pt) => pt.k)))].sort(
    (a, b) => a - b,
  );
  const values = panel.series
    .flatMap((s) => s.points.map((pt) => pt.value))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const out = [
    `<g transform="translate(${x0},0)">`,
    `<text x="${PANEL_W / 2}" y="14" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`,
  ];
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  if (values.length === 0 || ks.length === 0) {
    out.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" fill="#777">n/a</text>`,
      '</g>',
    );
    return out.join('\n');
  }
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) * 0.05 || 0.5;
    lo -= pad;
    hi += pad;
  }
  const lk = ks.map(Math.log2);
  const kMin = Math.min(...lk);
  const kSpan = Math.max(...lk) - kMin || 1;
  const xOf = (k: number) =>
    MARGIN.left + (ks.length === 1 ? plotW / 2 : ((Math.log2(k) - kMin) / kSpan) * plotW);
  const yOf = (v: number) => MARGIN.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  for (const k of ks) {
    out.push(`<text x="${xOf(k)}" y="${MARGIN.top + plotH + 12}" text-anchor="middle">${k}</text>`);
  }
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 24}" text-anchor="middle">K</text>`,
  );
  out.push(
    `<text x="${MARGIN.left - 3}" y="${MARGIN.top + 4}" text-anchor="end">${fmt(hi)}</text>`,
  );
  out.push(
    `<text x="${MARGIN.left - 3}" y="${MARGIN.top + plotH}" text-anchor="end">${fmt(lo)}</text>`,
  );
  panel.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = s.points.filter(
      (pt): pt is { k: number; value: number } => pt.value !== null && Number.isFinite(pt.value),
    );
    if (pts.length === 0) return;
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : '';
    const coords = pts.map((pt) => `${xOf(pt.k).toFixed(1)},${yOf(pt.value).toFixed(1)}`);
    out.push(
      `<polyline points="${coords.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`,
    );
    for (const c of coords) {
      const [cx, cy] = c.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${colour}"/>`);
    }
  });
  out.push('</g>');
  return out.join('\n');
}
