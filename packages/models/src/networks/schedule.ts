import type { LsrConfig } from '../config/config';

/**
 * Channel widths and spatial sizes of every stage of the five networks, derived from a config.
 * The network builders and the cost table both read them from here, so they cannot disagree.
 */

/** min(base * 2^i, max) */
export const widthAt = (base: number, max: number, i: number): number =>
  Math.min(base * 2 ** i, max);

/** Spatial size after 2x2 VALID average pooling (7 -> 3) or TF-'SAME' blur-pool (7 -> 4). */
export const pooledSize = (size: number, pooling: 'average' | 'blur'): number =>
  pooling === 'average' ? Math.floor(size / 2) : Math.ceil(size / 2);

export interface StageShape {
  inChannels: number;
  outChannels: number;
  /** Spatial size at which the stage's convs run (square). */
  size: number;
}

/** E^s/E^l: the stem width and each pool→ResBlock stage; `flatSize` feeds the final dense. */
export function encoderSchedule(c: LsrConfig) {
  const e = c.encoder;
  const stages: StageShape[] = [];
  let size = c.resolution;
  let channels = e.baseWidth;
  for (let i = 1; i <= e.downsamples; i++) {
    size = pooledSize(size, e.pooling);
    if (size < 1)
      throw new Error(
        `config.encoder.downsamples: ${e.downsamples} poolings shrink ${c.resolution}px below 1 pixel`,
      );
    const out = widthAt(e.baseWidth, e.maxWidth, i);
    stages.push({ inChannels: channels, outChannels: out, size });
    channels = out;
  }
  return {
    stem: e.baseWidth,
    stages,
    flatFeatures: size * size * channels,
    finalSize: size,
    finalChannels: channels,
  };
}

/** G^l: encoder levels (ResBlockDown) and decoder levels (ResBlockUp, then concat with a skip). */
export function layoutGeneratorSchedule(c: LsrConfig) {
  const g = c.layoutGenerator;
  const down: StageShape[] = [];
  let size = c.resolution;
  let channels = 3;
  for (let i = 0; i < g.levels; i++) {
    const out = widthAt(g.baseWidth, g.maxWidth, i + 1);
    down.push({ inChannels: channels, outChannels: out, size });
    size /= 2;
    channels = out;
  }
  const up: (StageShape & { skipChannels: number })[] = [];
  for (let j = 0; j < g.levels; j++) {
    const last = j === g.levels - 1;
    const out = last ? g.baseWidth : down[g.levels - 2 - j]!.outChannels;
    up.push({ inChannels: channels, outChannels: out, size, skipChannels: last ? 0 : out });
    size *= 2;
    channels = last ? out : 2 * out;
  }
  return { down, up, outChannels: c.layoutClasses + c.auxRgbChannels };
}

/** G^I: the start tensor and one SPADE block per level (level 0 at the start size). */
export function imageGeneratorSchedule(c: LsrConfig) {
  const g = c.imageGenerator;
  const start = c.resolution / 2 ** g.upsamples;
  const widths = Array.from({ length: g.upsamples + 1 }, (_, r) =>
    widthAt(g.baseWidth, g.maxWidth, g.upsamples - r),
  );
  const blocks: StageShape[] = widths.map((w, r) => ({
    inChannels: r === 0 ? widths[0]! : widths[r - 1]!,
    outChannels: w,
    size: start * 2 ** r,
  }));
  const labelChannels = c.layoutClasses + (g.spadeInput === 'layout+landmarks' ? 3 : 0);
  return { start, startChannels: widths[0]!, blocks, labelChannels };
}

/** D: from_rgb width, ResBlockDown stages, and the size of the final 3x3 conv / dense input. */
export function discriminatorSchedule(c: LsrConfig) {
  const d = c.discriminator;
  const stages: StageShape[] = [];
  let size = c.resolution;
  let channels = d.baseWidth;
  for (let i = 1; i <= d.downsamples; i++) {
    const out = widthAt(d.baseWidth, d.maxWidth, i);
    stages.push({ inChannels: channels, outChannels: out, size });
    size = pooledSize(size, 'blur');
    channels = out;
  }
  return { fromRgb: d.baseWidth, stages, finalSize: size, finalChannels: channels };
}
