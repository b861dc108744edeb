import * as tf from '@tensorflow/tfjs-core';
import { type ConvAttrs, convGeometry } from '../src/webgpu/conv-geometry';
import { callKey, type KernelCall } from './kernel-calls';

const RECORDED = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul'] as const;

type Args = Parameters<tf.KernelFunc>[0];

/** The call described by a kernel invocation's arguments. */
function describeCall(kernel: (typeof RECORDED)[number], args: Args): KernelCall | null {
  const shape = (name: string) => (args.inputs[name] as tf.TensorInfo).shape;
  if (kernel === 'BatchMatMul') {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    return { kernel, a: shape('a'), b: shape('b'), transposeA, transposeB, count: 1 };
  }
  const a = args.attrs as unknown as ConvAttrs & { inputShape?: number[]; filterShape?: number[] };
  const attrs: ConvAttrs = {
    strides: a.strides,
    pad: a.pad,
    dataFormat: a.dataFormat ?? 'NHWC',
    ...(a.dimRoundingMode ? { dimRoundingMode: a.dimRoundingMode } : {}),
    ...(a.dilations !== undefined ? { dilations: a.dilations } : {}),
  };
  const x = kernel === 'Conv2DBackpropInput' ? a.inputShape! : shape('x');
  const filter = kernel === 'Conv2DBackpropFilter' ? a.filterShape! : shape('filter');
  const g = convGeometry(x, filter, attrs, []);
  if (typeof g === 'string') return null;
  return { kernel, x, filter, dy: [g.batch, g.outH, g.outW, g.outC], attrs, count: 1 };
}

/**
 * Record every convolution and matmul call made on `backend` (wrapping the registered kernels),
 * e.g. during a training step, to replay the exact shapes in the kernel bench. `stop` puts the
 * wrapped kernels back and returns the distinct calls with their counts.
 */
export function recordKernelCalls(backend = 'webgpu'): { stop: () => KernelCall[] } {
  const calls = new Map<string, KernelCall>();
  const originals = RECORDED.map((name) => {
    const config = tf.getKernel(name, backend);
    if (!config) throw new Error(`recordKernelCalls: no ${name} kernel on ${backend}`);
    tf.unregisterKernel(name, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const call = describeCall(name, args);
        if (call) {
          const key = callKey(call);
          const seen = calls.get(key);
          if (seen) seen.count++;
          else calls.set(key, call);
        }
        return config.kernelFunc(args);
      },
    });
    return config;
  });
  return {
    stop: () => {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backend);
        tf.registerKernel(config);
      }
      return [...calls.values()];
    },
  };
}
