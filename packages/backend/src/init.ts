import * as tf from '@tensorflow/tfjs-core';
import { cpuLoader } from './backends/cpu';
import { tensorflowLoader } from './backends/tensorflow';
import type {
  BackendLoader,
  BackendLoadOptions,
  BackendName,
  BackendPreference,
} from './backends/types';
import { wasmLoader } from './backends/wasm';
import { webglLoader } from './backends/webgl';
import { webgpuLoader } from './backends/webgpu';
import { registerHostFusedKernels } from './fused/host-kernels';
import {
  installEarlyFreeGradients,
  uninstallEarlyFreeGradients,
} from './gradients/early-free-backprop';
import { registerCoreGradients } from './gradients/register-core';
import { registerSafeGradients } from './gradients/register-safe';
import { isBrowser, reasonOf } from './util/environment';
import { registerWasmTrainingKernels } from './wasm/register';
import { gemmCapabilitiesOf } from './webgpu/gpu-device';
import {
  chooseGemmPath,
  type Precision,
  type PrecisionOptions,
  type PrecisionReport,
  setGemmMode,
} from './webgpu/precision';
import { registerWebGpuKernels } from './webgpu/register';
import { installWebGPURuntime } from './webgpu/runtime/install';

export interface InitOptions extends BackendLoadOptions {
  /** Which backend to use; `auto` (default) picks the fastest available one that can train. */
  backend?: BackendPreference;
  /** Called with one line per decision (chosen backend, skipped ones). Default: silent. */
  log?: (line: string) => void;
}

export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

export interface InitReport {
  /** The backend now active. */
  backend: BackendName;
  /** Why it was chosen. */
  reason: string;
  /** Backends tried or passed over before it, each with why. */
  skipped: SkippedBackend[];
  /** Kernels @th registered for this backend (e.g. wasm training kernels). */
  addedKernels: string[];
  /** Gradients @th replaced with second-order-correct versions. */
  safeGradients: string[];
  /** The precision asked for and the GEMM path it got (see `setPrecision`). */
  precision: PrecisionReport;
}

const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: tensorflowLoader,
  webgpu: webgpuLoader,
  webgl: webglLoader,
  wasm: wasmLoader,
  cpu: cpuLoader,
};

/** Order `auto` tries, fastest trainer first. webgl is last-resort-before-wasm in browsers only. */
export function autoOrder(): BackendName[] {
  return isBrowser ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['tensorflow', 'webgpu', 'wasm', 'cpu'];
}

let current: InitReport | null = null;

/**
 * Bring up TensorFlow.js for @th: choose and start a backend, register all gradients (with the
 * second-order fixes R1/R2 need) and the kernels training needs on that backend.
 *
 * Safe to call again: with the same preference it returns the existing report; with another
 * it switches backend.
 */
export async function init(options: InitOptions = {}): Promise<InitReport> {
  const preference = options.backend ?? 'auto';
  const log = options.log ?? (() => {});
  if (current && (preference === 'auto' || preference === current.backend)) {
    const split = options.splitWeights ?? current.precision.splitWeights;
    if (
      (options.precision && options.precision !== current.precision.requested) ||
      split !== current.precision.splitWeights
    )
      setPrecision(options.precision ?? current.precision.requested, { splitWeights: split, log });
    return current;
  }

  const candidates = preference === 'auto' ? autoOrder() : [preference];
  const skipped: SkippedBackend[] = [];
  for (const name of candidates) {
    const loader = LOADERS[name];
    if (!loader)
      throw new Error(
        `init: unknown backend "${name}" (expected auto, ${Object.keys(LOADERS).join(', ')})`,
      );
    const unavailable = loader.available();
    if (unavailable) {
      skipped.push({ backend: name, reason: unavailable });
      continue;
    }
    try {
      const registryName = await loader.load(options, { explicit: preference !== 'auto' });
      const ok = await tf.setBackend(registryName);
      if (!ok) throw new Error(`tfjs could not initialise the ${registryName} backend`);
      await tf.ready();
    } catch (err) {
      skipped.push({ backend: name, reason: reasonOf(err) });
      continue;
    }
    await registerCoreGradients();
    if (options.earlyFreeBackprop === false) uninstallEarlyFreeGradients();
    else installEarlyFreeGradients();
    const safeGradients = registerSafeGradients();
    const addedKernels =
      name === 'wasm'
        ? [...registerWasmTrainingKernels(), ...registerHostFusedKernels()]
        : name === 'webgpu'
          ? [...registerWebGpuKernels(), ...installWebGPURuntime(options.webgpuRuntime)]
          : name === 'cpu'
            ? registerHostFusedKernels()
            : [];
    const reason =
      preference === 'auto'
        ? `fastest available backend that can train (auto order: ${candidates.join(' > ')})`
        : 'requested';
    const precision = selectPrecision(options.precision, options);
    current = { backend: name, reason, skipped, addedKernels, safeGradients, precision };
    for (const s of skipped) log(`backend ${s.backend} skipped: ${s.reason}`);
    log(`backend ${name}: ${reason}`);
    if (precision.requested === 'mixed') log(`precision mixed: ${precision.reason}`);
    return current;
  }
  const detail = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new Error(`init: no usable backend for preference "${preference}" (${detail})`);
}

/**
 * Switch the precision of the active backend's GEMM kernels after `init` ('mixed': f16 operands
 * with f32 accumulation where the device can, see docs/design.md#mixed-precision; 'f32').
 * Returns which path now runs; `log` gets one line saying so. A WebGPU device created without
 * `shader-f16` (e.g. by an earlier `init` with precision f32 on NVIDIA, whose Dawn needs toggles
 * set at creation) stays f32, and the line says why.
 */
export function setPrecision(
  requested: Precision,
  options: PrecisionOptions & { log?: (line: string) => void } = {},
): PrecisionReport {
  if (!current) throw new Error('setPrecision: call init() first');
  const report = selectPrecision(requested, options);
  current.precision = report;
  options.log?.(`precision ${requested}: ${report.reason}`);
  return report;
}

/** The precision last selected per backend instance (kept when `init` switches back to it). */
const precisionOf = new WeakMap<object, PrecisionReport>();

/** Select `requested` (default: what this backend instance had, else 'f32') on the active backend. */
function selectPrecision(requested?: Precision, options: PrecisionOptions = {}): PrecisionReport {
  const name = tf.getBackend();
  const backend = tf.backend();
  const kept = precisionOf.get(backend);
  if (requested === undefined && options.splitWeights === undefined && kept) return kept;
  const wanted = requested ?? 'f32';
  if (wanted !== 'f32' && wanted !== 'mixed')
    throw new Error(`precision must be 'f32' or 'mixed', got "${wanted as string}"`);
  const report = chooseGemmPath(
    wanted,
    name === 'webgpu' ? gemmCapabilitiesOf(backend) : null,
    name,
    options,
  );
  if (name === 'webgpu')
    setGemmMode(backend, { path: report.gemm, splitWeights: report.splitWeights });
  precisionOf.set(backend, report);
  return report;
}

/** The report of the last successful `init`, or null before it. */
export function currentBackend(): InitReport | null {
  return current;
}

/** Puts back a report `withBackend` saved (internal: not exported from the package). */
export function restoreReport(report: InitReport | null): void {
  current = report;
}
