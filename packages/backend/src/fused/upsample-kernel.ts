import * as tf from '@tensorflow/tfjs-core';

export const UPSAMPLE = 'ThUpsampleBilinear2x';
export const UPSAMPLE_GRAD = 'ThUpsampleBilinear2xGrad';

let gradientsRegistered = false;

/**
 * Gradients of the fused 2× bilinear upsampling (host kernels in host-kernels.ts). The op is
 * linear, so its gradient is its adjoint (UPSAMPLE_GRAD) and the adjoint's gradient is the op
 * itself: exact at every order, as R1/R2 need. Registered once.
 */
export function registerUpsampleGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: UPSAMPLE,
    gradFunc: (dy) => ({ x: () => runUpsample(UPSAMPLE_GRAD, { dy: dy as tf.Tensor }) }),
  });
  tf.registerGradient({
    kernelName: UPSAMPLE_GRAD,
    gradFunc: (ddx) => ({ dy: () => runUpsample(UPSAMPLE, { x: ddx as tf.Tensor }) }),
  });
}

function runUpsample(name: string, inputs: Record<string, tf.Tensor>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, {}) as tf.Tensor;
}

/** y [n, 2h, 2w, c] from x [n, h, w, c] in one kernel (callers check `hostFusedActive()`). */
export function fusedUpsampleBilinear2x(x: tf.Tensor4D): tf.Tensor4D {
  return runUpsample(UPSAMPLE, { x }) as tf.Tensor4D;
}
