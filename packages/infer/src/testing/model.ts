/** Test helper: the small random-init lsr-64 model (no trained checkpoint ships yet). */
import { LsrModel, presetConfig } from '@th/models';

export function smallModel(seed = 0, discriminator = true): LsrModel {
  return new LsrModel(presetConfig('lsr-64'), { discriminator, checkRange: false }).initialize(
    seed,
  );
}
