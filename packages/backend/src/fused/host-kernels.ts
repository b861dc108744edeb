import * as tf from '@tensorflow/tfjs-core';
import { kernelRuntimeOf } from '../wasm/simd/kernel-runtime';
import {
  IN_APPLY,
  IN_GRAD_GAMMA,
  IN_GRAD_SUMS,
  IN_GRAD_X,
  IN_STATS,
  type ModulationKind,
} from '../webgpu/runtime/kernels/instance-norm';
import {
  LEAKY_RELU,
  LEAKY_RELU_GRAD,
  registerLeakyReluGradients,
} from '../webgpu/runtime/kernels/leaky-relu';
import {
  instanceNormApply,
  instanceNormGradGamma,
  instanceNormGradSums,
  instanceNormGradX,
  instanceNormStats,
  leakyReluGradValues,
  leakyReluValues,
  type Nhwc,
  upsampleBilinear2xAdjoint,
  upsampleBilinear2xValues,
} from './host-math';
import { registerUpsampleGradients, UPSAMPLE, UPSAMPLE_GRAD } from './upsample-kernel';
import { runFusedOnWasm } from './wasm-simd-fused';

/** Backends whose tensors the fused kernels read as Float32Arrays in this thread's memory. */
export const HOST_FUSED_BACKENDS = ['wasm', 'cpu'] as const;
type HostBackend = (typeof HOST_FUSED_BACKENDS)[number];

type Arrays = Record<string, Float32Array>;
type Shape4 = [number, number, number, number];
type Attrs = Record<string, unknown>;

/** One fused kernel: its output shape, and the arithmetic from input arrays into the output. */
interface HostKernel {
  name: string;
  outShape(inputs: Record<string, tf.TensorInfo>, attrs: Attrs): number[];
  run(data: Arrays, inputs: Record<string, tf.TensorInfo>, attrs: Attrs, out: Float32Array): void;
}

const nhwc = (x: tf.TensorInfo): Nhwc => {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  return { n, hw: h * w, c };
};
const kindOf = (attrs: Attrs) => attrs.kind as ModulationKind;
const alphaOf = (attrs: Attrs) => attrs.alpha as number;

const KERNELS: HostKernel[] = [
  {
    name: IN_STATS,
    outShape: ({ x }) => [x!.shape[0]!, 2, x!.shape[3]!],
    run: (d, { x }, attrs, out) => instanceNormStats(d.x!, nhwc(x!), attrs.epsilon as number, out),
  },
  {
    name: IN_APPLY,
    outShape: ({ x }) => x!.shape,
    run: (d, { x }, attrs, out) =>
      instanceNormApply(
        d.x!,
        d.stats!,
        nhwc(x!),
        kindOf(attrs),
        d.gamma ?? null,
        d.beta ?? null,
        out,
      ),
  },
  {
    name: IN_GRAD_SUMS,
    outShape: ({ x }) => [x!.shape[0]!, 4, x!.shape[3]!],
    run: (d, { x }, attrs, out) =>
      instanceNormGradSums(d.x!, d.stats!, d.dy!, nhwc(x!), kindOf(attrs), d.gamma ?? null, out),
  },
  {
    name: IN_GRAD_X,
    outShape: ({ x }) => x!.shape,
    run: (d, { x }, attrs, out) =>
      instanceNormGradX(
        d.x!,
        d.stats!,
        d.dy!,
        d.sums!,
        nhwc(x!),
        kindOf(attrs),
        d.gamma ?? null,
        out,
      ),
  },
  {
    name: IN_GRAD_GAMMA,
    outShape: ({ x }) => x!.shape,
    run: (d, { x }, _attrs, out) => instanceNormGradGamma(d.x!, d.stats!, d.dy!, nhwc(x!), out),
  },
  {
    name: LEAKY_RELU,
    outShape: ({ x }) => x!.shape,
    run: (d, _inputs, attrs, out) => leakyReluValues(d.x!, alphaOf(attrs), out),
  },
  {
    name: UPSAMPLE,
    outShape: ({ x }) => {
      const [n, h, w, c] = x!.shape as [number, number, number, number];
      return [n, 2 * h, 2 * w, c];
    },
    run: (d, { x }, _attrs, out) => upsampleBilinear2xValues(d.x!, x!.shape as Shape4, out),
  },
  {
    name: UPSAMPLE_GRAD,
    outShape: ({ dy }) => {
      const [n, h, w, c] = dy!.shape as [number, number, number, number];
      return [n, h / 2, w / 2, c];
    },
    run: (d, { dy }, _attrs, out) => {
      const [n, h, w, c] = dy!.shape as Shape4;
      upsampleBilinear2xAdjoint(d.dy!, [n, h / 2, w / 2, c], out);
    },
  },
  {
    name: LEAKY_RELU_GRAD,
    outShape: ({ dy }) => dy!.shape,
    run: (d, _inputs, attrs, out) => leakyReluGradValues(d.dy!, d.x!, alphaOf(attrs), out),
  },
];

/** The parts of tfjs-backend-wasm's backend used here: its tensors are views of the heap. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}
/** The parts of tfjs-backend-cpu's backend used here. */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function checkFloat32(kernel: string, inputs: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32')
      throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The tfjs kernel function of `k` on `backend`. */
function kernelFunc(k: HostKernel, backend: HostBackend): tf.KernelFunc {
  return ({ inputs, backend: b, attrs }) => {
    const ins = inputs as Record<string, tf.TensorInfo>;
    checkFloat32(k.name, ins);
    const a = (attrs ?? {}) as Attrs;
    // The activation attribute of the apply kernel is WebGPU's (instanceNormFused applies leaky
    // ReLU separately on these backends): refuse it rather than ignore it.
    if (k.name === IN_APPLY && a.alpha !== undefined)
      throw new Error(
        `${IN_APPLY}: the leaky-ReLU attribute is WebGPU-only (got alpha on ${backend})`,
      );
    const shape = k.outShape(ins, a);
    if (backend === 'wasm') {
      const wasm = b as unknown as WasmBackendLike;
      // Output first: allocating may grow the heap, which detaches views taken before.
      const out = wasm.makeOutput(shape, 'float32');
      const runtime = kernelRuntimeOf(b as tf.KernelBackend);
      if (runtime && runFusedOnWasm(k.name, runtime, ins, a, out)) return out;
      const data: Arrays = {};
      for (const [name, t] of Object.entries(ins)) data[name] = wasm.typedArrayFromHeap(t);
      k.run(data, ins, a, wasm.typedArrayFromHeap(out));
      return out;
    }
    const cpu = b as unknown as CpuBackendLike;
    const data: Arrays = {};
    for (const [name, t] of Object.entries(ins))
      data[name] = cpu.readSync(t.dataId) as Float32Array;
    const out = new Float32Array(size(shape));
    k.run(data, ins, a, out);
    return cpu.makeTensorInfo(shape, 'float32', out);
  };
}

/**
 * Register the fused instance-norm and leaky-ReLU kernels (the WebGPU runtime's kernel names and
 * gradients) and the 2× bilinear upsampling on wasm and cpu, so @th/layers' norm + modulation,
 * activations and upsampling run as one or two kernels there instead of 4–30 tfjs kernels each.
 * Idempotent; returns the kernel names.
 */
export function registerHostFusedKernels(): string[] {
  registerLeakyReluGradients();
  registerUpsampleGradients();
  for (const backendName of HOST_FUSED_BACKENDS) {
    for (const k of KERNELS) {
      if (tf.getKernel(k.name, backendName)) continue;
      tf.registerKernel({
        kernelName: k.name,
        backendName,
        kernelFunc: kernelFunc(k, backendName),
      });
    }
  }
  return KERNELS.map((k) => k.name);
}

/** Whether the active backend has the host fused kernels registered. */
export function hostFusedActive(): boolean {
  const name = tf.getBackend();
  return (
    (HOST_FUSED_BACKENDS as readonly string[]).includes(name) &&
    tf.getKernel(LEAKY_RELU, name) !== undefined
  );
}
