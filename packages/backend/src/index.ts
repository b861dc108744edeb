export type { BackendLoadOptions, BackendName, BackendPreference } from './backends/types';
export { releaseDawn } from './backends/webgpu';
export { registerCoreGradients } from './gradients/register-core';
export { registerSafeGradients } from './gradients/register-safe';
export type { InitOptions, InitReport, SkippedBackend } from './init';
export { autoOrder, currentBackend, init } from './init';
export { bfloat16ToFloat, halfToFloat } from './io/half-float';
export { rawToFloat32, rawToTensor, tensorToRaw } from './io/raw-tensor';
export type { RawTensor, SafetensorsDtype, SafetensorsFile } from './io/safetensors';
export { decodeSafetensors, encodeSafetensors, itemSize } from './io/safetensors';
export type { BlurPadding, BlurPoolOptions, R1SafeOp } from './ops/index';
export {
  avgPool2,
  binomialRow,
  blurPool,
  boxDownsample,
  leakyRelu,
  logSoftmax,
  R1_SAFE_OPS,
  upsampleBilinear2x,
} from './ops/index';
export { isBrowser, isNode } from './util/environment';
export { loadBytes, loadJson } from './util/load-bytes';
export type { Rng } from './util/rng';
export { createRng, mulberry32Step } from './util/rng';
export { withBackend } from './with-backend';
