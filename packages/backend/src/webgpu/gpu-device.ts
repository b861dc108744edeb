import * as tf from '@tensorflow/tfjs-core';
import { type GemmCapabilities, MATRIX_SHAPE, type SubgroupMatrixConfig } from './precision';
import { probeSubgroupMatrix } from './subgroup-matrix-probe';

/**
 * How @th creates tfjs-webgpu's device. tfjs-backend-webgpu 4.22.0 registers a factory that
 * requests only `timestamp-query` (and `bgra8unorm-storage`); @th's mixed-precision kernels also
 * need `shader-f16` and, for the tensor cores, `subgroups` and
 * `chromium-experimental-subgroup-matrix`. This factory is tfjs' own (same adapter request, same
 * limits) plus every one of those features the adapter offers, so the f32 path runs on the same
 * device either way; it also records what the device can do (`gemmCapabilitiesOf`) and lets
 * shaders declare WGSL `enable` directives (`hoistDirectives`).
 */

/** Features tfjs asks for, then the ones @th's f16 kernels use, when the adapter offers them. */
const WANTED_FEATURES = [
  'timestamp-query',
  'bgra8unorm-storage',
  'shader-f16',
  'subgroups',
  'chromium-experimental-subgroup-matrix',
];

interface AdapterLike {
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  info?: {
    vendor?: string;
    architecture?: string;
    subgroupMinSize?: number;
    subgroupMaxSize?: number;
    subgroupMatrixConfigs?: readonly SubgroupMatrixConfig[];
  };
  requestDevice(descriptor: object): Promise<DeviceLike>;
}

interface DeviceLike {
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  createShaderModule(descriptor: { code: string; label?: string }): unknown;
  onuncapturederror?: ((event: { error?: { message?: string } }) => void) | null;
}

interface GpuLike {
  requestAdapter(options: { powerPreference: string }): Promise<AdapterLike | null>;
}

const capabilities = new WeakMap<object, GemmCapabilities>();

/** What @th recorded about a webgpu backend's device (null: not created by @th's factory). */
export function gemmCapabilitiesOf(backend: object): GemmCapabilities | null {
  return capabilities.get(backend) ?? null;
}

/**
 * Replace tfjs-webgpu's backend factory by @th's (call after importing tfjs-backend-webgpu and
 * before the backend is first created; a backend already created is left alone).
 */
export function registerWebGpuFactory(
  WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend,
): void {
  const engine = tf.engine() as unknown as {
    registry: Record<string, unknown>;
    registryFactory: Record<string, unknown>;
  };
  if (engine.registry.webgpu) return;
  if (engine.registryFactory.webgpu) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const gpu = (globalThis as unknown as { navigator: { gpu: GpuLike } }).navigator.gpu;
      const adapter = await gpu.requestAdapter({
        powerPreference: tf.env().get('WEBGPU_USE_LOW_POWER_GPU')
          ? 'low-power'
          : 'high-performance',
      });
      if (!adapter) throw new Error('WebGPU found no adapter');
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures: WANTED_FEATURES.filter((f) => adapter.features.has(f)),
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      hoistShaderDirectives(device);
      reportDeviceErrors(device);
      const info = adapter.info ?? {};
      const subgroupMatrix =
        device.features.has('chromium-experimental-subgroup-matrix') &&
        device.features.has('subgroups') &&
        device.features.has('shader-f16');
      const size = info.subgroupMinSize === info.subgroupMaxSize ? info.subgroupMinSize : null;
      const offered = (info.subgroupMatrixConfigs ?? []).some(
        (c) =>
          c.componentType === 'f16' &&
          c.resultComponentType === 'f32' &&
          c.M === MATRIX_SHAPE.m &&
          c.N === MATRIX_SHAPE.n &&
          c.K === MATRIX_SHAPE.k,
      );
      const check =
        subgroupMatrix && offered && size
          ? await probeSubgroupMatrix(device as never, size)
          : { spelling: null, failure: null };
      const backend = new WebGPUBackend(device, adapter.info);
      capabilities.set(backend, {
        shaderF16: device.features.has('shader-f16'),
        subgroupMatrix,
        subgroupMatrixConfigs: [...(info.subgroupMatrixConfigs ?? [])],
        subgroupMinSize: info.subgroupMinSize ?? null,
        subgroupMaxSize: info.subgroupMaxSize ?? null,
        workgroupStorage: device.limits.maxComputeWorkgroupStorageSize ?? 16384,
        maxInvocations: device.limits.maxComputeInvocationsPerWorkgroup ?? 256,
        subgroupMatrixFailure: check.failure,
        subgroupMatrixSpelling: check.spelling,
      });
      return backend;
    },
    3,
  );
}

/** Distinct WebGPU errors written to stderr per device, at most (then one line says so). */
const REPORTED_ERRORS = 3;

/**
 * A WebGPU validation or out-of-memory error is not thrown: the command that caused it is
 * dropped and its outputs read back as zeros (e.g. a tensor over the device's storage-binding
 * limit, 128 MiB on many adapters). tfjs does not listen for them; @th warns (console.warn) of the
 * first few, naming the limit when that is the cause, so wrong numbers do not pass silently.
 */
function reportDeviceErrors(device: DeviceLike): void {
  const seen = new Set<string>();
  let reported = 0;
  device.onuncapturederror = (event) => {
    const message = event.error?.message ?? String(event.error);
    if (seen.has(message)) return;
    seen.add(message);
    reported++;
    if (reported > REPORTED_ERRORS) {
      if (reported === REPORTED_ERRORS + 1)
        console.warn('[@th/backend] WebGPU: more errors follow; only the first are shown');
      return;
    }
    const limit = /maxStorageBufferBindingSize|binding size/i.test(message)
      ? ` (a tensor is larger than this device's storage-binding limit of ${device.limits.maxStorageBufferBindingSize} bytes: use smaller batches)`
      : '';
    console.warn(
      `[@th/backend] WebGPU error, the operation's results are invalid${limit}: ${message.split('\n')[0]}`,
    );
  };
}

/**
 * tfjs' program runner puts a kernel's code after its own header, but WGSL wants global
 * directives (`enable f16;`) before any declaration: move such lines to the top of every
 * shader the device compiles. Shaders without directives pass unchanged.
 */
function hoistShaderDirectives(device: DeviceLike): void {
  const create = device.createShaderModule.bind(device);
  device.createShaderModule = (descriptor) =>
    create({ ...descriptor, code: hoistDirectives(descriptor.code) });
}

const DIRECTIVE = /^[ \t]*(?:enable|requires|diagnostic)\b[^;{}\n]*;[ \t]*$/gm;

/** `code` with its global directive lines moved (once each, in order) to the top. */
export function hoistDirectives(code: string): string {
  const found = code.match(DIRECTIVE);
  if (!found) return code;
  const unique = [...new Set(found.map((d) => d.trim()))];
  return `${unique.join('\n')}\n${code.replace(DIRECTIVE, '')}`;
}
