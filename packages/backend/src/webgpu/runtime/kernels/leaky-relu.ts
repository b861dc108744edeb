import * as tf from '@tensorflow/tfjs-core';
import { elementwiseProgram, type ProgramRunner } from './program';

export const LEAKY_RELU = 'ThLeakyRelu';
export const LEAKY_RELU_GRAD = 'ThLeakyReluGrad';

/**
 * Leaky ReLU as one WebGPU kernel (tfjs' own LeakyRelu gradient differentiates a comparison, and
 * @th's portable form α·x + (1−α)·relu(x) costs 4 kernels forward and ~6 backward):
 *
 *   ThLeakyRelu(x)          = x > 0 ? x : α·x
 *   ThLeakyReluGrad(dy, x)  = x > 0 ? dy : α·dy        (= dy · f'(x), f'(0) = α as relu's step)
 *
 * The gradient kernel is linear in dy with a mask that is piecewise constant in x, so its own
 * gradients are itself (w.r.t. dy) and zero (w.r.t. x): every order is exact, as R1/R2 need.
 */
export function registerLeakyReluKernels(): string[] {
  tf.registerKernel({
    kernelName: LEAKY_RELU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const alpha = (attrs as { alpha: number }).alpha;
      const program = elementwiseProgram(
        LEAKY_RELU,
        'th_leaky_relu',
        x.shape,
        ['x'],
        `let v = x[index];
          result[index] = select(uniforms.alpha * v, v, v > 0.0);`,
        'alpha : f32,',
      );
      return (backend as unknown as ProgramRunner).runWebGPUProgram(program, [x], 'float32', [
        { type: 'float32', data: [alpha] },
      ]);
    },
  });
  tf.registerKernel({
    kernelName: LEAKY_RELU_GRAD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      const alpha = (attrs as { alpha: number }).alpha;
      const program = elementwiseProgram(
        LEAKY_RELU_GRAD,
        'th_leaky_relu_grad',
        dy.shape,
        ['dy', 'x'],
        `let g = dy[index];
          result[index] = select(uniforms.alpha * g, g, x[index] > 0.0);`,
        'alpha : f32,',
      );
      return (backend as unknown as ProgramRunner).runWebGPUProgram(program, [dy, x], 'float32', [
        { type: 'float32', data: [alpha] },
      ]);
    },
  });
  registerLeakyReluGradients();
  return [LEAKY_RELU, LEAKY_RELU_GRAD];
}

let gradientsRegistered = false;

/**
 * The gradients of both kernels, shared by every backend that implements them (WebGPU here, wasm
 * and cpu in fused/host-kernels.ts); registered once.
 */
export function registerLeakyReluGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: LEAKY_RELU,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => leakyReluGrad(dy as tf.Tensor, x, (attrs as { alpha: number }).alpha) };
    },
  });
  tf.registerGradient({
    kernelName: LEAKY_RELU_GRAD,
    inputsToSave: ['x'],
    gradFunc: (ddx, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const alpha = (attrs as { alpha: number }).alpha;
      return {
        dy: () => leakyReluGrad(ddx as tf.Tensor, x, alpha),
        x: () => tf.zerosLike(x),
      };
    },
  });
}

/** Run the fused forward kernel (callers check that the active backend has it). */
export function fusedLeakyRelu<T extends tf.Tensor>(x: T, alpha: number): T {
  return tf.engine().runKernel(LEAKY_RELU, { x }, { alpha } as never) as T;
}

function leakyReluGrad(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha } as never) as tf.Tensor;
}
