import * as tf from '@tensorflow/tfjs-core';
import { isNode } from '../util/environment';
import { importPeer } from '../util/optional-package';
import { registerWebGpuFactory } from '../webgpu/gpu-device';
import { probeDawnAdapter } from './dawn-probe';
import { PEER_PACKAGES } from './peer-packages';
import type { BackendLoader } from './types';

interface DawnModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

let dawnGpu: unknown = null;

/**
 * WebGPU: the browser's `navigator.gpu`, or in Node, Dawn through the optional peer package
 * `webgpu`; the tfjs backend is the optional peer `@tensorflow/tfjs-backend-webgpu`.
 * tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it is first imported,
 * so the GPU object is installed before the (dynamic) import.
 *
 * `auto` in Node first asks for an adapter in a child process (`probeDawnAdapter`): on a machine
 * without a usable GPU, Dawn prints Vulkan warnings to the process' stderr, which then go to the
 * child (and into the skip reason) instead of the user's terminal.
 */
export const webgpuLoader: BackendLoader = {
  name: 'webgpu',
  available: () => null,
  async load(options, request) {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (!nav?.gpu) {
      if (!isNode) throw new Error('this browser has no navigator.gpu');
      const { name, version } = PEER_PACKAGES.dawn;
      const dawn = await importPeer<DawnModule>(name, version, 'WebGPU in Node (Dawn)');
      if (!request?.explicit) {
        const probed = await probeDawnAdapter(options.dawnOptions ?? []);
        if (probed.problem) throw new Error(probed.problem);
        const software = probed.adapter && softwareAdapter(probed.adapter);
        if (software) throw new Error(softwareRefusal(software));
      }
      Object.assign(globalThis, dawn.globals);
      const given = withDawnToggles(options.dawnOptions ?? [], PROFILING_TOGGLES_OFF, 'disable');
      const dawnOptions =
        options.precision === 'mixed' ? withDawnToggles(given, F16_TOGGLES) : given;
      dawnGpu = dawn.create(dawnOptions);
      Object.defineProperty(globalThis, 'navigator', {
        value: { ...(nav ?? {}), gpu: dawnGpu },
        configurable: true,
        writable: true,
      });
    }
    const gpu = (globalThis as unknown as { navigator: { gpu: GPULike } }).navigator.gpu;
    // The adapter tfjs-webgpu will take (it asks for high-performance).
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('WebGPU found no adapter (no usable GPU driver)');
    const software = softwareAdapter(adapter);
    if (software && !request?.explicit) throw new Error(softwareRefusal(software));
    const { name, version } = PEER_PACKAGES.webgpu;
    // @th creates the device itself (gpu-device.ts: the features its f16 kernels use), with
    // tfjs-webgpu's backend class. Where the app imported tfjs-webgpu itself and the import
    // cannot resolve here (a browser without an import map), tfjs' own factory stays: f32 only.
    // Bundles without node_modules hand the package in (`webgpuModule`).
    const load = () =>
      (options.webgpuModule?.() ?? importPeer(name, version, 'the webgpu backend')) as Promise<{
        WebGPUBackend?: unknown;
      }>;
    const tfjsWebGpu = tf.findBackendFactory('webgpu')
      ? await load().catch(() => null)
      : await load();
    if (tfjsWebGpu?.WebGPUBackend) registerWebGpuFactory(tfjsWebGpu.WebGPUBackend as never);
    if (!tf.findBackendFactory('webgpu')) {
      throw new Error(`${name} was imported but did not register the webgpu backend`);
    }
    return 'webgpu';
  },
};

/**
 * Dawn blocks f16 on NVIDIA's Vulkan driver (bugs it works around) and offers subgroup matrices
 * only as an unsafe API: with these toggles an H100 offers `shader-f16`, `subgroups` and
 * `chromium-experimental-subgroup-matrix` (docs/design.md#mixed-precision). Added only when
 * precision `mixed` creates the GPU object.
 */
export const F16_TOGGLES = ['allow_unsafe_apis', 'vulkan_enable_f16_on_nvidia'];

/**
 * Dawn quantizes timestamp queries to 65.536 µs steps by default (a browser's defence against
 * timing attacks). A Node process has no such threat, and `profileDispatches` needs the timer's
 * real resolution: most batch-1 inference dispatches are shorter than one step. Always disabled
 * in the Dawn object @th creates in Node.
 */
export const PROFILING_TOGGLES_OFF = ['timestamp_quantization'];

/**
 * Dawn's `create()` options with `toggles` added to (or as) its `enable-dawn-features=` entry
 * (`disable-dawn-features=` with kind 'disable').
 */
export function withDawnToggles(
  options: readonly string[],
  toggles: readonly string[],
  kind: 'enable' | 'disable' = 'enable',
): string[] {
  const key = `${kind}-dawn-features=`;
  const existing = options.find((o) => o.startsWith(key));
  const merged = [...new Set([...(existing?.slice(key.length).split(',') ?? []), ...toggles])]
    .filter((t) => t)
    .join(',');
  return [...options.filter((o) => o !== existing), `${key}${merged}`];
}

function softwareRefusal(description: string): string {
  return `the WebGPU adapter is a software renderer (${description}): 'auto' never picks it; request backend 'webgpu' to use it`;
}

export interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
}

interface GPULike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

/**
 * Whether a WebGPU adapter renders in software (a CPU rasteriser: Mesa llvmpipe/lavapipe,
 * SwiftShader, WARP), and its description if so, else null. Dawn reports lavapipe as vendor
 * 'mesa', architecture 'software', info.isFallbackAdapter true; browsers may hide `info`
 * fields, so each signal counts alone.
 */
export function softwareAdapter(adapter: AdapterLike): string | null {
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description]
    .filter((s) => s)
    .join(' ');
  const software =
    adapter.isFallbackAdapter === true ||
    info.isFallbackAdapter === true ||
    info.architecture === 'software' ||
    /llvmpipe|lavapipe|swiftshader|\bwarp\b/i.test(text);
  return software ? text || 'fallback adapter' : null;
}

/** Drop Node's reference to the Dawn GPU object so the process can exit. */
export function releaseDawn(): void {
  dawnGpu = null;
}
