export type { BackendLoadOptions, BackendName, BackendPreference } from './backends/types';
export type { WasmThreading } from './backends/wasm';
export { wasmThreading } from './backends/wasm';
export { releaseDawn } from './backends/webgpu';
export { registerCoreGradients } from './gradients/register-core';
export { registerSafeGradients } from './gradients/register-safe';
export type { InitOptions, InitReport, SkippedBackend } from './init';
export { autoOrder, currentBackend, init } from './init';
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
