export type { BackendLoadOptions, BackendName, BackendPreference } from './backends/types';
export type { WasmThreading } from './backends/wasm';
export { wasmThreading } from './backends/wasm';
export { releaseDawn } from './backends/webgpu';
export type { InitOptions, InitReport, SkippedBackend } from './init';
export { autoOrder, currentBackend, init, setPrecision } from './init';
export { bfloat16ToFloat, floatToHalfBits, halfToFloat, roundToHalf } from './io/half-float';
export { rawToFloat32, rawToTensor, tensorToRaw } from './io/raw-tensor';
export type { RawTensor, SafetensorsDtype, SafetensorsFile } from './io/safetensors';
export { decodeSafetensors, encodeSafetensors } from './io/safetensors';
export type { BlurPadding, BlurPoolOptions, R1SafeOp } from './ops/index';
export {
  avgPool2,
  blurPool,
  boxDownsample,
  leakyRelu,
  logSoftmax,
  R1_SAFE_OPS,
  upsampleBilinear2x,
} from './ops/index';
export type { ConvActivation, ConvEpilogue } from './ops/scaled-conv2d';
export { scaledConv2d } from './ops/scaled-conv2d';
export { scaledMatMul } from './ops/scaled-matmul';
export type { AdamConstants, DeviceAdamSteps, MultiTensorAdam } from './optim/adam-contract';
export { perVariableAdamStep } from './optim/adam-reference';
export { createMultiTensorAdam } from './optim/multi-tensor-adam';
export { loadBytes, loadJson } from './util/load-bytes';
export { isMissingModule, MissingPackageError } from './util/optional-package';
export { registerChainedOps } from './util/register-chained-ops';
export type { Rng } from './util/rng';
export { createRng, mulberry32Step } from './util/rng';
export type {
  GemmPath,
  Precision,
  PrecisionOptions,
  PrecisionReport,
} from './webgpu/precision';
export { registerWebGpuKernels, restoreStockWebGpuKernels } from './webgpu/register';
export type { PoolStats } from './webgpu/runtime/buffer-pool';
export type { CapturedGraph } from './webgpu/runtime/capture';
export { captureGraph } from './webgpu/runtime/capture';
export {
  adaptiveInstanceNormFused,
  instanceNormFused,
  spatialInstanceNormFused,
  webgpuInferenceKernels,
} from './webgpu/runtime/fused-ops';
export type { WebGPURuntime, WebGPURuntimeOptions } from './webgpu/runtime/install';
export {
  DEFAULT_WEBGPU_RUNTIME,
  stepBoundary,
  TFJS_WEBGPU_DEFAULTS,
  webgpuRuntime,
} from './webgpu/runtime/install';
export type {
  CallTime,
  DispatchProfile,
  KernelCounts,
  ProgramTime,
} from './webgpu/runtime/profile';
export { countKernels, mergeProfiles, profileDispatches } from './webgpu/runtime/profile';
export { runtimeBytes } from './webgpu/runtime/runtime-memory';
export { withBackend } from './with-backend';
