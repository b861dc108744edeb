import { type DeepPartial, LSR_224, type LsrConfig, resolveConfig } from './config';

/**
 * Named presets, each a partial override of the `lsr-224` defaults:
 * - `lsr-224`: the released configuration (code-faithful; docs/design.md#networks,
 * docs/design.md#decisions).
 * - `lsr-224-supp`: the supplement's variants (docs/design.md#spade-input,
 * docs/design.md#encoder-depth, docs/design.md#encoder-pooling): 5 blur-pooled encoder stages, and
 *   landmarks ⊕ layout into every SPADE block.
 * - `lsr-128`, `lsr-64`: reduced sizes for CPU work with the same topology (same number of
 *   stages, narrower widths, smaller latent), e.g. smoke training in CI and the bundled model.
 */
export const PRESETS = {
  'lsr-224': {},
  'lsr-224-supp': {
    encoder: { downsamples: 5, pooling: 'blur' },
    imageGenerator: { spadeInput: 'layout+landmarks' },
  },
  'lsr-128': {
    resolution: 128,
    latentDim: 256,
    encoder: { baseWidth: 16, maxWidth: 256 },
    layoutGenerator: { baseWidth: 16, maxWidth: 256 },
    imageGenerator: { baseWidth: 16, maxWidth: 256, spadeHidden: 32 },
    discriminator: { baseWidth: 16, maxWidth: 256 },
  },
  'lsr-64': {
    resolution: 64,
    latentDim: 128,
    encoder: { baseWidth: 8, maxWidth: 128 },
    layoutGenerator: { baseWidth: 8, maxWidth: 128 },
    imageGenerator: { baseWidth: 8, maxWidth: 128, spadeHidden: 16 },
    discriminator: { baseWidth: 8, maxWidth: 128 },
  },
} satisfies Record<string, DeepPartial<LsrConfig>>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The full config of a preset, optionally with further overrides on top. */
export function presetConfig(name: PresetName, override: DeepPartial<LsrConfig> = {}): LsrConfig {
  const preset = PRESETS[name] as DeepPartial<LsrConfig> | undefined;
  if (!preset) throw new Error(`unknown preset "${name}" (available: ${PRESET_NAMES.join(', ')})`);
  return resolveConfig(override, resolveConfig(preset, LSR_224));
}
