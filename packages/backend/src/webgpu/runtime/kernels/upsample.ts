import { registerUpsampleGradients, UPSAMPLE, UPSAMPLE_GRAD } from '../../../fused/upsample-kernel';
import { registerNhwcKernel } from './program';

/**
 * 2× bilinear upsampling (half-pixel centres, edge replication) and its adjoint as one WebGPU
 * kernel each, instead of the ~30 slice/concat/mul/add kernels of the portable form
 * (ops/upsample.ts): SPADE and the layout U-Net upsample 15 times per lsr-64 frame, which made
 * ~240 of its ~960 dispatches.
 *
 * Along one axis of length n, output 2i reads x[i]·¾ + x[max(i−1, 0)]·¼ and output 2i+1 reads
 * x[i]·¾ + x[min(i+1, n−1)]·¼; the 2-D op is the product of the two axes (4 taps per output).
 * The adjoint gathers, for input i, the outputs that read it with their weights: 2i−1 (¼, if
 * i > 0), 2i (¾, plus ¼ at i = 0 where output 0 reads its clamped neighbour), 2i+1 (¾, plus ¼ at
 * i = n−1) and 2i+2 (¼, if i < n−1): 16 taps per input in 2-D. Both are linear, each the other's
 * gradient (fused/upsample-kernel.ts), so every order is exact.
 */
export function registerUpsampleKernels(): string[] {
  registerNhwcKernel(
    UPSAMPLE,
    'x',
    'th_upsample_bilinear_2x',
    ([n, h, w, c]) => [n, 2 * h, 2 * w, c],
    `let H = uniforms.xShape.y;
          let W = uniforms.xShape.z;
          let C = uniforms.xShape.w;
          let ch = index % C;
          let ox = (index / C) % (2 * W);
          let oy = (index / (C * 2 * W)) % (2 * H);
          let b = index / (C * 4 * W * H);
          let iy = oy / 2;
          let ix = ox / 2;
          let ny = select(min(iy + 1, H - 1), max(iy - 1, 0), oy % 2 == 0);
          let nx = select(min(ix + 1, W - 1), max(ix - 1, 0), ox % 2 == 0);
          let row = b * H;
          let a0 = x[((row + iy) * W + ix) * C + ch];
          let a1 = x[((row + iy) * W + nx) * C + ch];
          let b0 = x[((row + ny) * W + ix) * C + ch];
          let b1 = x[((row + ny) * W + nx) * C + ch];
          result[index] = 0.75 * (0.75 * a0 + 0.25 * a1) + 0.25 * (0.75 * b0 + 0.25 * b1);`,
  );
  registerNhwcKernel(
    UPSAMPLE_GRAD,
    'dy',
    'th_upsample_bilinear_2x_grad',
    ([n, h2, w2, c]) => [n, h2 / 2, w2 / 2, c],
    `let H2 = uniforms.dyShape.y;
          let W2 = uniforms.dyShape.z;
          let C = uniforms.dyShape.w;
          let H = H2 / 2;
          let W = W2 / 2;
          let ch = index % C;
          let ix = (index / C) % W;
          let iy = (index / (C * W)) % H;
          let b = index / (C * W * H);
          // The 4 output rows (columns) that read input row iy (column ix), with their weights.
          let ry = vec4<i32>(2 * iy - 1, 2 * iy, 2 * iy + 1, 2 * iy + 2);
          let wy = vec4<f32>(select(0.0, 0.25, iy > 0), select(0.75, 1.0, iy == 0),
                             select(0.75, 1.0, iy == H - 1), select(0.0, 0.25, iy < H - 1));
          let rx = vec4<i32>(2 * ix - 1, 2 * ix, 2 * ix + 1, 2 * ix + 2);
          let wx = vec4<f32>(select(0.0, 0.25, ix > 0), select(0.75, 1.0, ix == 0),
                             select(0.75, 1.0, ix == W - 1), select(0.0, 0.25, ix < W - 1));
          var sum = 0.0;
          for (var i = 0; i < 4; i++) {
            if (wy[i] == 0.0) { continue; }
            var rowSum = 0.0;
            for (var j = 0; j < 4; j++) {
              if (wx[j] == 0.0) { continue; }
              rowSum += wx[j] * dy[((b * H2 + ry[i]) * W2 + rx[j]) * C + ch];
            }
            sum += wy[i] * rowSum;
          }
          result[index] = sum;`,
  );
  registerUpsampleGradients();
  return [UPSAMPLE, UPSAMPLE_GRAD];
}
