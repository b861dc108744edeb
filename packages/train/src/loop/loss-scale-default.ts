import { currentBackend } from '@th/backend';
import { DynamicLossScale, type LossScaleOptions } from '../optim/loss-scale';

/**
 * A trainer's loss scale from its `lossScale` option: options or true → scaled; false → none;
 * absent → scaled exactly when the backend was initialised with precision 'mixed'
 * (`init({ precision: 'mixed' })`), so mixed-precision GEMMs and loss scaling go together.
 */
export function lossScaleFor(
  option: LossScaleOptions | boolean | undefined,
): DynamicLossScale | null {
  const on = option ?? currentBackend()?.precision.requested === 'mixed';
  if (!on) return null;
  return new DynamicLossScale(typeof option === 'object' ? option : {});
}
