/**
 * The LSR model configuration: one source of defaults (the released `lsr-224` configuration,
 * docs/design.md#networks, docs/design.md#decisions), and presets as named partial overrides of it.
 */
export interface EncoderConfig {
  /** Width after the first 7x7 conv; doubles per stage up to `maxWidth`. */
  baseWidth: number;
  maxWidth: number;
  /** Number of 2x downsampling stages (code 6; supplement 5, docs/design.md#encoder-depth). */
  downsamples: number;
  /**
   * Pooling before each ResBlock: 2x2 average (code) or blur-pool (supplement,
   * docs/design.md#encoder-pooling).
   */
  pooling: 'average' | 'blur';
}

export interface LayoutGeneratorConfig {
  /** Output width of the last decoder block; encoder level i has min(base*2^(i+1), max). */
  baseWidth: number;
  maxWidth: number;
  /** U-Net levels (each a ResBlockDown / ResBlockUp pair). */
  levels: number;
}

export interface ImageGeneratorConfig {
  /** Width at full resolution; doubles per level towards the start tensor up to `maxWidth`. */
  baseWidth: number;
  maxWidth: number;
  /** Number of x2 upsamplings; the start tensor is resolution / 2^upsamples. */
  upsamples: number;
  /** SPADE hidden conv width (LSR 64; original SPADE 128). */
  spadeHidden: number;
  /**
   * What drives SPADE: the layout only (code, default) or landmarks ⊕ layout (supplement,
   * docs/design.md#spade-input).
   */
  spadeInput: 'layout' | 'layout+landmarks';
}

export interface DiscriminatorConfig {
  baseWidth: number;
  maxWidth: number;
  downsamples: number;
}

export interface LsrConfig {
  /** Square frame size in pixels. */
  resolution: number;
  /** Size of z^s and z^l. */
  latentDim: number;
  /** Layout classes k (19 = CelebAMask-HQ, docs/design.md#layout-classes). */
  layoutClasses: number;
  /** Extra RGB channels predicted by G^l for stage-1 multi-task training. */
  auxRgbChannels: number;
  /** Instance-norm epsilon (tfa default used by LSR). */
  normEpsilon: number;
  /** Leaky-ReLU slope in G^l, G^I and D. */
  leakySlope: number;
  encoder: EncoderConfig;
  layoutGenerator: LayoutGeneratorConfig;
  imageGenerator: ImageGeneratorConfig;
  discriminator: DiscriminatorConfig;
}

/**
 * The released LSR configuration at 224x224 (code defaults, docs/design.md#networks,
 * docs/design.md#decisions).
 */
export const LSR_224: LsrConfig = {
  resolution: 224,
  latentDim: 512,
  layoutClasses: 19,
  auxRgbChannels: 3,
  normEpsilon: 1e-3,
  leakySlope: 0.2,
  encoder: { baseWidth: 32, maxWidth: 512, downsamples: 6, pooling: 'average' },
  layoutGenerator: { baseWidth: 32, maxWidth: 512, levels: 5 },
  imageGenerator: {
    baseWidth: 32,
    maxWidth: 512,
    upsamples: 5,
    spadeHidden: 64,
    spadeInput: 'layout',
  },
  discriminator: { baseWidth: 32, maxWidth: 512, downsamples: 6 },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults with an override applied, field by field (one level of nesting). */
export function resolveConfig(
  override: DeepPartial<LsrConfig> = {},
  base: LsrConfig = LSR_224,
): LsrConfig {
  const out = { ...base, ...override } as LsrConfig;
  for (const key of ['encoder', 'layoutGenerator', 'imageGenerator', 'discriminator'] as const) {
    out[key] = { ...base[key], ...(override[key] ?? {}) } as never;
  }
  validateConfig(out);
  return out;
}

/** Check that a config describes a buildable network; errors name the field. */
export function validateConfig(c: LsrConfig): void {
  const positiveInt = (name: string, v: unknown) => {
    if (!Number.isInteger(v) || (v as number) <= 0)
      throw new Error(`config.${name} must be a positive integer, got ${JSON.stringify(v)}`);
  };
  positiveInt('resolution', c.resolution);
  positiveInt('latentDim', c.latentDim);
  positiveInt('layoutClasses', c.layoutClasses);
  for (const [net, fields] of [
    ['encoder', ['baseWidth', 'maxWidth', 'downsamples']],
    ['layoutGenerator', ['baseWidth', 'maxWidth', 'levels']],
    ['imageGenerator', ['baseWidth', 'maxWidth', 'upsamples', 'spadeHidden']],
    ['discriminator', ['baseWidth', 'maxWidth', 'downsamples']],
  ] as const) {
    for (const f of fields)
      positiveInt(`${net}.${f}`, (c[net] as unknown as Record<string, unknown>)[f]);
  }
  const gi = c.imageGenerator;
  if (c.resolution % 2 ** gi.upsamples !== 0) {
    throw new Error(
      `config.imageGenerator.upsamples: resolution ${c.resolution} is not divisible by 2^${gi.upsamples}`,
    );
  }
  if (c.resolution % 2 ** c.layoutGenerator.levels !== 0) {
    throw new Error(
      `config.layoutGenerator.levels: resolution ${c.resolution} is not divisible by 2^${c.layoutGenerator.levels} (U-Net skips need exact halving)`,
    );
  }
  if (!['average', 'blur'].includes(c.encoder.pooling))
    throw new Error(
      `config.encoder.pooling must be "average" or "blur", got ${JSON.stringify(c.encoder.pooling)}`,
    );
  if (!['layout', 'layout+landmarks'].includes(gi.spadeInput))
    throw new Error(
      `config.imageGenerator.spadeInput must be "layout" or "layout+landmarks", got ${JSON.stringify(gi.spadeInput)}`,
    );
  if (!(c.normEpsilon > 0)) throw new Error(`config.normEpsilon must be > 0, got ${c.normEpsilon}`);
}
