/** R1-safe ops: correct gradients of every order on every backend (see R1_SAFE_OPS). */

export { leakyRelu } from './activations';
export { binomialRow } from './binomial';
export type { BlurPadding, BlurPoolOptions } from './blur-pool';
export { blurPool } from './blur-pool';
export { logSoftmax } from './log-softmax';
export { avgPool2, boxDownsample } from './pooling';
export type { R1SafeOp } from './r1-safe-ops';
export { R1_SAFE_OPS } from './r1-safe-ops';
export { upsampleBilinear2x } from './upsample';
