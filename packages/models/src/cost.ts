import type { LsrConfig } from './config/config';
import { PRESET_NAMES, type PresetName, presetConfig } from './config/presets';
import { LsrModel } from './model';
import {
  discriminatorSchedule,
  encoderSchedule,
  imageGeneratorSchedule,
  layoutGeneratorSchedule,
} from './networks/schedule';

/** Multiply-adds ×2 of a k×k conv producing size×size×cout from cin channels. */
const conv = (size: number, k: number, cin: number, cout: number) =>
  2 * size * size * k * k * cin * cout;
const dense = (i: number, o: number) => 2 * i * o;

/** Forward FLOPs per example of each network (convolutions and dense layers; one shot for E). */
export function forwardFlops(
  c: LsrConfig,
): Record<'encoder' | 'layoutGenerator' | 'imageGenerator' | 'discriminator', number> {
  const e = encoderSchedule(c);
  let enc = conv(c.resolution, 7, 6, e.stem) + dense(e.flatFeatures, c.latentDim);
  for (const s of e.stages) {
    const mid = Math.min(s.inChannels, s.outChannels);
    enc += conv(s.size, 3, s.inChannels, mid) + conv(s.size, 3, mid, s.outChannels);
    if (s.inChannels !== s.outChannels) enc += conv(s.size, 1, s.inChannels, s.outChannels);
  }
  const gl = layoutGeneratorSchedule(c);
  let lay = 0;
  for (const s of gl.down) {
    lay +=
      conv(s.size, 3, s.inChannels, s.inChannels) +
      conv(s.size, 3, s.inChannels, s.outChannels) +
      conv(s.size, 1, s.inChannels, s.outChannels);
  }
  for (const s of gl.up) {
    const big = s.size * 2;
    lay += dense(c.latentDim, 2 * s.inChannels) + dense(c.latentDim, 2 * s.outChannels);
    lay +=
      conv(big, 3, s.inChannels, s.outChannels) +
      conv(big, 3, s.outChannels, s.outChannels) +
      conv(big, 1, s.inChannels, s.outChannels);
  }
  lay += conv(c.resolution, 3, gl.up[gl.up.length - 1]!.outChannels, gl.outChannels);
  const gi = imageGeneratorSchedule(c);
  const h = c.imageGenerator.spadeHidden;
  const spade = (size: number, ch: number) =>
    conv(size, 3, gi.labelChannels, h) + 2 * conv(size, 3, h, ch);
  let img =
    dense(c.latentDim, gi.start * gi.start * gi.startChannels) +
    conv(c.resolution, 3, gi.blocks[gi.blocks.length - 1]!.outChannels, 3);
  for (const b of gi.blocks) {
    const mid = Math.min(b.inChannels, b.outChannels);
    img +=
      spade(b.size, b.inChannels) +
      conv(b.size, 3, b.inChannels, mid) +
      spade(b.size, mid) +
      conv(b.size, 3, mid, b.outChannels);
    if (b.inChannels !== b.outChannels)
      img += spade(b.size, b.inChannels) + conv(b.size, 1, b.inChannels, b.outChannels);
  }
  const d = discriminatorSchedule(c);
  let dis = conv(c.resolution, 1, 6, d.fromRgb);
  for (const s of d.stages) {
    dis +=
      conv(s.size, 3, s.inChannels, s.inChannels) +
      conv(s.size, 3, s.inChannels, s.outChannels) +
      conv(s.size, 1, s.inChannels, s.outChannels);
  }
  const fc = d.finalChannels;
  dis += conv(d.finalSize, 3, fc, fc) + dense(d.finalSize * d.finalSize * fc, fc) + dense(fc, 1);
  return { encoder: enc, layoutGenerator: lay, imageGenerator: img, discriminator: dis };
}

export interface CostRow {
  preset: string;
  network: string;
  params: number;
  gflops: number;
}

/** Parameters and forward GFLOPs per network for each preset (built without allocating weights). */
export function costTable(presets: readonly PresetName[] = PRESET_NAMES): CostRow[] {
  const rows: CostRow[] = [];
  for (const preset of presets) {
    const config = presetConfig(preset);
    const model = new LsrModel(config);
    const flops = forwardFlops(config);
    const nets: [string, number, number][] = [
      ['E^s (per shot)', model.styleEncoder.numParams(), flops.encoder],
      ['E^l (per shot)', model.layoutEncoder.numParams(), flops.encoder],
      ['G^l', model.layoutGenerator.numParams(), flops.layoutGenerator],
      ['G^I', model.imageGenerator.numParams(), flops.imageGenerator],
      ['D', model.discriminator!.numParams(), flops.discriminator],
    ];
    for (const [network, params, f] of nets)
      rows.push({ preset, network, params, gflops: f / 1e9 });
  }
  return rows;
}

/** The cost table as Markdown (what the package README shows). */
export function costTableMarkdown(rows: CostRow[] = costTable()): string {
  const lines = [
    '| preset | network | parameters | forward GFLOP / example |',
    '|---|---|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.preset} | ${r.network} | ${r.params.toLocaleString('en-US')} | ${r.gflops.toFixed(r.gflops < 1 ? 3 : 2)} |`,
    );
  return lines.join('\n');
}
