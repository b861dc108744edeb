import * as tf from '@tensorflow/tfjs-core';
import { registerNhwcKernel } from './program';

export const AVG_POOL2 = 'ThAvgPool2';

/**
 * 2×2 average pooling, stride 2, VALID, as one WebGPU kernel: the portable form (ops/pooling.ts,
 * two means over middle axes, each a transpose and a reduction on WebGPU) costs 4 dispatches, and
 * the layout pyramid of every frame pools 5–6 times. Inference only (avgPool2 takes it outside a
 * gradient tape): it has no gradient.
 */
export function registerAvgPoolKernels(): string[] {
  registerNhwcKernel(
    AVG_POOL2,
    'x',
    'th_avg_pool_2x2',
    ([n, h, w, c]) => [n, Math.floor(h / 2), Math.floor(w / 2), c],
    `let H = uniforms.xShape.y;
          let W = uniforms.xShape.z;
          let C = uniforms.xShape.w;
          let ch = index % C;
          let ox = (index / C) % (W / 2);
          let oy = (index / (C * (W / 2))) % (H / 2);
          let b = index / (C * (W / 2) * (H / 2));
          let p0 = ((b * H + 2 * oy) * W + 2 * ox) * C + ch;
          let p1 = p0 + W * C;
          // Rows first, then columns, as the portable form's two means.
          result[index] = 0.5 * (0.5 * (x[p0] + x[p1]) + 0.5 * (x[p0 + C] + x[p1 + C]));`,
  );
  return [AVG_POOL2];
}

/** Run the kernel (callers check that WebGPU inference is active). */
export function fusedAvgPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.engine().runKernel(AVG_POOL2, { x }, {}) as tf.Tensor4D;
}
