export type { BackendName, BackendPreference, BackendLoadOptions } from './backends/types';
export { init, currentBackend, autoOrder } from './init';
export type { InitOptions, InitReport, SkippedBackend } from './init';
export { releaseDawn } from './backends/webgpu';
export { registerCoreGradients } from './gradients/register-core';
export { createRng } from './util/rng';
export type { Rng } from './util/rng';
export { loadBytes, loadJson } from './util/load-bytes';
export { isNode, isBrowser } from './util/environment';
