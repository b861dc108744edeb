/** The benchmark's report: compact JSON records and the Markdown summary committed in results/. */
import { basename } from 'node:path';
import { DETECTION_FALSE_ALARM, type DetectionResult } from '@th/provenance';
import type { Measured } from './measure';

export interface Outcome {
  present: boolean;
  falseAlarm: number;
  score: number;
  payload: number | null;
}

export interface Record_ {
  file: string;
  frames: number;
  size: string;
  whole: Outcome;
  /** keyed by prefix length in frames */
  prefixes: Record<string, Outcome | null>;
  framesFlagged?: number;
  metadataTag: boolean;
}

export interface Report {
  generated: string;
  command: string;
  seconds: number;
  expectedPayload: number;
  renders: { name: string; frames: number; psnrMean: number; psnrMin: number }[];
  transforms: { id: string; label: string; required: boolean }[];
  marked: Record<string, Record_[]>;
  realVideos: Record<string, Record_[]>;
  realImages: { file: string; present: boolean; falseAlarm: number }[];
  prefixes: number[];
}

function outcome(r: DetectionResult): Outcome {
  return {
    present: r.present,
    falseAlarm: r.falseAlarm,
    score: Math.round(r.score * 100) / 100,
    payload: r.payload?.value ?? null,
  };
}

export function compact(m: Measured): Record_ {
  return {
    file: basename(m.path),
    frames: m.frames,
    size: `${m.width}x${m.height}`,
    whole: outcome(m.whole),
    prefixes: Object.fromEntries(
      Object.entries(m.prefixes).map(([n, r]) => [n, r ? outcome(r) : null]),
    ),
    ...(m.framesFlagged !== undefined ? { framesFlagged: m.framesFlagged } : {}),
    metadataTag: m.metadataTag,
  };
}

const pct = (a: number, b: number) =>
  b ? `${a}/${b} (${((100 * a) / b).toFixed(a && a < b / 100 ? 2 : 1)} %)` : 'n/a';
const sci = (v: number) => (v >= 0.01 ? v.toFixed(2) : v.toExponential(1));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
}

/** Per-frame false positives on real content: every frame of the unedited real clips. */
function perFrameFalsePositives(r: Report): { flagged: number; frames: number } {
  const clips = r.realVideos['as-written'] ?? [];
  return {
    flagged: clips.reduce((s, m) => s + (m.framesFlagged ?? 0), 0),
    frames: clips.reduce((s, m) => s + m.frames, 0),
  };
}

/** Real clips flagged as marked: every decision (whole and prefixes) after every edit. */
function perVideoFalsePositives(r: Report): { flagged: number; decisions: number } {
  const decisions = Object.values(r.realVideos).flatMap((list) =>
    list.flatMap((m) => [m.whole, ...Object.values(m.prefixes).filter((x) => x !== null)]),
  );
  return { flagged: decisions.filter((d) => d!.present).length, decisions: decisions.length };
}

/** The issue's targets, each with its number and whether it is met. */
function verdict(r: Report): string[] {
  const rows: string[] = [];
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  for (const t of r.transforms.filter((x) => x.required)) {
    const list = r.marked[t.id] ?? [];
    const found = list.filter((m) => m.whole.present).length;
    const rate = list.length ? found / list.length : 0;
    rows.push(
      `| detection per video after ${t.label} ≥ 99 % | ${pct(found, list.length)} | ${mark(rate >= 0.99)} |`,
    );
  }
  // Frames: every frame of the real clips tested alone, and every real still image.
  const frame = perFrameFalsePositives(r);
  const flagged = frame.flagged + r.realImages.filter((x) => x.present).length;
  const tested = frame.frames + r.realImages.length;
  rows.push(
    `| false positives per real frame or image ≤ 0.1 % | ${pct(flagged, tested)} | ${mark(flagged <= 0.001 * tested)} |`,
  );
  const video = perVideoFalsePositives(r);
  rows.push(
    `| false positives per real video = 0 (every edit; whole, first 4 s, first 2 s) | ${video.flagged} of ${video.decisions} decisions | ${mark(video.flagged === 0)} |`,
  );
  const psnrMin = Math.min(...r.renders.map((x) => x.psnrMin));
  rows.push(
    `| PSNR marked vs unmarked ≥ 40 dB | ${psnrMin.toFixed(2)} dB at worst | ${mark(psnrMin >= 40)} |`,
  );
  return ['## Targets (issue #20)', '', '| target | measured | |', '| --- | --- | --- |', ...rows];
}

export function formatReport(r: Report): string {
  const lines: string[] = [];
  const frames = r.renders.reduce((s, x) => s + x.frames, 0);
  const psnrMean = r.renders.reduce((s, x) => s + x.psnrMean * x.frames, 0) / frames;
  const psnrMin = Math.min(...r.renders.map((x) => x.psnrMin));
  lines.push(
    '# Watermark robustness (scheme th-wm/1)',
    '',
    `Generated ${r.generated} by \`${r.command}\` in packages/infer (${(r.seconds / 60).toFixed(0)} min on the 2-core machine).`,
    'Detection threshold: a file counts as marked when unmarked content would reach its score with',
    `probability ≤ ${DETECTION_FALSE_ALARM} (the detector's bound, a union over every alignment it searches).`,
    '',
    ...verdict(r),
    '',
    '## @th outputs',
    '',
    `${r.renders.length} videos: the bundled lsr-64 model, each of the sample's 4 identities with 2 sets of K = 4 source photos,`,
    `driven by each of the sample's 4 clips (full length, ${Math.min(...r.renders.map((x) => x.frames))}-${Math.max(...r.renders.map((x) => x.frames))} frames at 25 fps, ${frames} frames in all), 64×64,`,
    'marked as `th reenact` marks them and written by its writer (libx264 CRF 23, provenance tags).',
    '',
    `Watermark cost: PSNR marked vs unmarked frame ${psnrMean.toFixed(2)} dB on average, ${psnrMin.toFixed(2)} dB at worst (${frames} frames).`,
    '',
    `| edit | issue's list | detected, whole video | first ${r.prefixes[1]! / 25} s | first ${r.prefixes[0]! / 25} s | payload read and correct (whole) | metadata tag kept | median / worst false-alarm bound (whole) |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const t of r.transforms) {
    const list = r.marked[t.id] ?? [];
    const found = list.filter((m) => m.whole.present).length;
    const at = (n: number) => {
      const with_ = list.filter((m) => m.prefixes[n]);
      return pct(with_.filter((m) => m.prefixes[n]!.present).length, with_.length);
    };
    const payloadOk = list.filter((m) => m.whole.payload === r.expectedPayload).length;
    const payloadWrong = list.filter(
      (m) => m.whole.payload !== null && m.whole.payload !== r.expectedPayload,
    ).length;
    const fas = list.map((m) => m.whole.falseAlarm);
    lines.push(
      `| ${t.label} | ${t.required ? 'yes' : 'no'} | ${pct(found, list.length)} | ${at(r.prefixes[1]!)} | ${at(r.prefixes[0]!)} | ${pct(payloadOk, list.length)}${payloadWrong ? `, ${payloadWrong} wrong` : ''} | ${pct(list.filter((m) => m.metadataTag).length, list.length)} | ${sci(median(fas))} / ${sci(Math.max(...fas))} |`,
    );
  }
  lines.push('', '## Real content, never marked', '');
  const { flagged: perFrame, frames: perFrameN } = perFrameFalsePositives(r);
  const stillsFlagged = r.realImages.filter((x) => x.present).length;
  lines.push(
    '| set | tested | flagged as marked | lowest false-alarm bound |',
    '| --- | --- | --- | --- |',
    `| every frame of the sample's clips (and of their 64×64 versions), one frame at a time | ${perFrameN} frames | ${pct(perFrame, perFrameN)} | — |`,
    `| the sample's stills and real photos, one image each | ${r.realImages.length} images | ${pct(stillsFlagged, r.realImages.length)} | ${sci(Math.min(...r.realImages.map((x) => x.falseAlarm)))} |`,
  );
  for (const t of r.transforms) {
    const list = r.realVideos[t.id] ?? [];
    const decisions = list.flatMap((m) => [
      m.whole,
      ...Object.values(m.prefixes).filter((x): x is Outcome => x !== null),
    ]);
    lines.push(
      `| the sample's clips and their 64×64 versions, ${t.label}: whole, first 4 s, first 2 s | ${list.length} videos, ${decisions.length} decisions | ${pct(decisions.filter((d) => d.present).length, decisions.length)} | ${sci(Math.min(...decisions.map((d) => d.falseAlarm)))} |`,
    );
  }
  lines.push(
    '',
    `Photos: the sample's ${r.realImages.filter((x) => x.file.endsWith('_rgb.png')).length} stills (224×224), face-api's demo pictures (npm \`@vladmandic/face-api\`, demo/sample1-6.jpg)` +
      `${
        r.realImages.some((x) => !x.file.endsWith('_rgb.png') && !x.file.startsWith('sample'))
          ? ` and ${r.realImages
              .filter((x) => !x.file.endsWith('_rgb.png') && !x.file.startsWith('sample'))
              .map((x) => x.file)
              .join(', ')}`
          : ''
      }.`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
