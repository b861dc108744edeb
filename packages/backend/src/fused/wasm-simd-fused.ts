import type { TensorInfo } from '@tensorflow/tfjs-core';
import {
  CHANNEL_AFFINE_ARGS,
  CHANNEL_MOMENTS_ARGS,
  IN_GRAD_SUMS_ARGS,
  IN_GRAD_X_ARGS,
} from '../wasm/simd/instance-norm-simd';
import { argBlock, f32Bits, type KernelRuntime } from '../wasm/simd/kernel-runtime';
import { LEAKY_RELU_ARGS } from '../wasm/simd/leaky-relu-simd';
import { UPSAMPLE_AXIS_ARGS } from '../wasm/simd/upsample-simd';
import {
  IN_APPLY,
  IN_GRAD_GAMMA,
  IN_GRAD_SUMS,
  IN_GRAD_X,
  IN_STATS,
  type ModulationKind,
} from '../webgpu/runtime/kernels/instance-norm';
import { LEAKY_RELU, LEAKY_RELU_GRAD } from '../webgpu/runtime/kernels/leaky-relu';
import { UPSAMPLE, UPSAMPLE_GRAD } from './upsample-kernel';

/** Elements per tile of the elementwise kernels, and the size from which they use all threads. */
const CHUNK = 1 << 16;
const PARALLEL_MIN = 1 << 18;

type Shape4 = [number, number, number, number];

/**
 * The forward kernels of fused/host-kernels.ts on @th's SIMD wasm module, where they apply
 * (leaky ReLU with 0 ≤ α ≤ 1; instance-norm statistics, the per-channel / per-element affine
 * map and the gradients with C a multiple of 4; upsampling and its adjoint always). Writes `out` (already
 * allocated) and returns true, or returns false for the JavaScript version to run instead.
 */
export function runFusedOnWasm(
  name: string,
  runtime: KernelRuntime,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
  out: TensorInfo,
): boolean {
  const at = (t: TensorInfo | undefined) => runtime.address(t!);
  if (name === LEAKY_RELU || name === LEAKY_RELU_GRAD) {
    const alpha = attrs.alpha as number;
    if (!(alpha >= 0 && alpha <= 1)) return false;
    const grad = name === LEAKY_RELU_GRAD;
    const count = out.shape.reduce((a, b) => a * b, 1);
    const a = argBlock(LEAKY_RELU_ARGS, {
      x: at(inputs.x),
      y: at(out),
      dy: grad ? at(inputs.dy) : 0,
      count,
      chunk: CHUNK,
      alpha: f32Bits(alpha),
    });
    const parallel = runtime.threads > 1 && count >= PARALLEL_MIN;
    runtime.run(grad ? 'leaky_relu_grad' : 'leaky_relu', Math.ceil(count / CHUNK), a, parallel);
    return true;
  }
  if (name === IN_STATS) {
    const [n, h, w, c] = inputs.x!.shape as Shape4;
    if (c % 4 !== 0) return false;
    const moments = runtime.allocate(2 * n * c * 4);
    try {
      const a = argBlock(CHANNEL_MOMENTS_ARGS, {
        x: at(inputs.x),
        mean: moments,
        m2: moments + n * c * 4,
        hw: h * w,
        c,
        invHw: f32Bits(1 / (h * w)),
      });
      runtime.run(
        'channel_moments',
        (n * c) / 4,
        a,
        runtime.threads > 1 && n * h * w * c >= PARALLEL_MIN,
      );
      const heap = runtime.heapF32();
      const [m, q, stats] = [moments / 4, moments / 4 + n * c, at(out) / 4];
      const eps = attrs.epsilon as number;
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          heap[stats + b * 2 * c + ch] = heap[m + b * c + ch]!;
          heap[stats + b * 2 * c + c + ch] = Math.sqrt(heap[q + b * c + ch]! / (h * w) + eps);
        }
      }
    } finally {
      runtime.free(moments);
    }
    return true;
  }
  if (name === IN_APPLY) {
    const [n, h, w, c] = inputs.x!.shape as Shape4;
    const kind = attrs.kind as ModulationKind;
    if (c % 4 !== 0) return false;
    // Per (n, c): x̂ = x·(1/σ) − μ/σ, and with a per-channel γ, β: y = x·((1+γ)/σ) + β − μ(1+γ)/σ.
    const affine = runtime.allocate(2 * n * c * 4);
    try {
      const heap = runtime.heapF32();
      const [sc, sh, stats] = [affine / 4, affine / 4 + n * c, at(inputs.stats) / 4];
      const g = kind === 'channel' ? at(inputs.gamma) / 4 : 0;
      const bt = kind === 'channel' ? at(inputs.beta) / 4 : 0;
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          const inv = 1 / heap[stats + b * 2 * c + c + ch]!;
          const mu = heap[stats + b * 2 * c + ch]!;
          const gain = kind === 'channel' ? 1 + heap[g + b * c + ch]! : 1;
          heap[sc + b * c + ch] = inv * gain;
          heap[sh + b * c + ch] =
            (kind === 'channel' ? heap[bt + b * c + ch]! : 0) - mu * inv * gain;
        }
      }
      const pixels = n * h * w;
      const spatial = kind === 'spatial';
      const chunk = Math.max(1, Math.floor(CHUNK / c));
      const a = argBlock(CHANNEL_AFFINE_ARGS, {
        x: at(inputs.x),
        y: at(out),
        scale: affine,
        shift: affine + n * c * 4,
        gamma: spatial ? at(inputs.gamma) : 0,
        beta: spatial ? at(inputs.beta) : 0,
        spatial: spatial ? 1 : 0,
        pixels,
        hw: h * w,
        c,
        chunk,
      });
      const parallel = runtime.threads > 1 && pixels * c >= PARALLEL_MIN;
      runtime.run('channel_affine', Math.ceil(pixels / chunk), a, parallel);
    } finally {
      runtime.free(affine);
    }
    return true;
  }
  if (name === IN_GRAD_SUMS || name === IN_GRAD_X || name === IN_GRAD_GAMMA) {
    const [n, h, w, c] = inputs.x!.shape as Shape4;
    if (c % 4 !== 0) return false;
    instanceNormGrad(name, runtime, inputs, (attrs.kind as ModulationKind) ?? 'spatial', out, [
      n,
      h * w,
      c,
    ]);
    return true;
  }
  if (name === UPSAMPLE || name === UPSAMPLE_GRAD) {
    const adjoint = name === UPSAMPLE_GRAD;
    // [n, h, w, c] of the small side.
    const [n, h, w, c] = (adjoint ? out.shape : inputs.x!.shape) as Shape4;
    const rows = runtime.allocate(n * 2 * h * w * c * 4);
    try {
      // x: the kernel's input ([outer, len, inner], or [outer, 2·len, inner] for the adjoint).
      const pass = (x: number, y: number, outer: number, len: number, inner: number) => {
        const a = argBlock(UPSAMPLE_AXIS_ARGS, { x, y, n: len, inner });
        const parallel = runtime.threads > 1 && outer > 1 && n * h * w * c >= PARALLEL_MIN;
        runtime.run(adjoint ? 'upsample_axis_adjoint' : 'upsample_axis', outer, a, parallel);
      };
      if (!adjoint) {
        pass(at(inputs.x), rows, n, h, w * c); // along H → [n, 2h, w, c]
        pass(rows, at(out), n * 2 * h, w, c); // along W → [n, 2h, 2w, c]
      } else {
        pass(at(inputs.dy), rows, n * 2 * h, w, c); // W's adjoint: [n, 2h, 2w, c] → [n, 2h, w, c]
        pass(rows, at(out), n, h, w * c); // H's adjoint → [n, h, w, c]
      }
    } finally {
      runtime.free(rows);
    }
    return true;
  }
  return false;
}

/**
 * The instance-norm gradient kernels on wasm. With x̂ = x·inv + shift per (b, c) (inv = 1/σ,
 * shift = −μ/σ) and g = dy·(1 + γ):
 *   sums:  Σdy, Σdy·x̂ from `in_grad_sums` (plus Σdy·γ, Σdy·γ·x̂ for a per-element γ), then
 *          Σg, Σg·x̂ per channel here;
 *   dx:    (g − Σg/HW − x̂·Σg·x̂/HW)/σ = dy·(1+γ)·inv + x·(−inv²·m) − inv·(Σg/HW + shift·m),
 *          m = Σg·x̂/HW, one pass of `in_grad_x`;
 *   dγ:    dy·x̂ (per-element γ), `in_grad_x` in its γ mode.
 */
function instanceNormGrad(
  name: string,
  runtime: KernelRuntime,
  inputs: Record<string, TensorInfo>,
  kind: ModulationKind,
  out: TensorInfo,
  [n, hw, c]: [number, number, number],
): void {
  const at = (t: TensorInfo | undefined) => runtime.address(t!);
  const nc = n * c;
  // Five per-(b, c) planes: inv, shift, then three for the kernel's coefficients or sums.
  const planes = runtime.allocate(5 * nc * 4 + 16);
  try {
    let heap = runtime.heapF32();
    const plane = (k: number) => planes / 4 + k * nc;
    const stats = at(inputs.stats) / 4;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const inv = 1 / heap[stats + b * 2 * c + c + ch]!;
        heap[plane(0) + b * c + ch] = inv;
        heap[plane(1) + b * c + ch] = -heap[stats + b * 2 * c + ch]! * inv;
      }
    }
    const gamma = inputs.gamma ? at(inputs.gamma) : 0;
    if (name === IN_GRAD_SUMS) {
      const sums = runtime.allocate(4 * nc * 4);
      try {
        const a = argBlock(IN_GRAD_SUMS_ARGS, {
          x: at(inputs.x),
          dy: at(inputs.dy),
          gamma: kind === 'spatial' ? gamma : 0,
          inv: planes,
          shift: planes + nc * 4,
          out: sums,
          n,
          hw,
          c,
          spatial: kind === 'spatial' ? 1 : 0,
        });
        runtime.run('in_grad_sums', nc / 4, a, runtime.threads > 1 && nc * hw >= PARALLEL_MIN);
        heap = runtime.heapF32();
        const s = (k: number, i: number) => heap[sums / 4 + k * nc + i]!;
        const o = at(out) / 4;
        for (let b = 0; b < n; b++) {
          for (let ch = 0; ch < c; ch++) {
            const i = b * c + ch;
            let [sg, sgx] = [s(0, i), s(1, i)];
            if (kind === 'channel') {
              const gain = 1 + heap[gamma / 4 + i]!;
              [sg, sgx] = [sg * gain, sgx * gain];
            } else if (kind === 'spatial') {
              [sg, sgx] = [sg + s(2, i), sgx + s(3, i)];
            }
            heap[o + b * 4 * c + ch] = sg;
            heap[o + b * 4 * c + c + ch] = sgx;
            heap[o + b * 4 * c + 2 * c + ch] = s(0, i);
            heap[o + b * 4 * c + 3 * c + ch] = s(1, i);
          }
        }
      } finally {
        runtime.free(sums);
      }
      return;
    }
    // in_grad_x's coefficients a, b, c0 in planes 2–4.
    const sums = name === IN_GRAD_X ? at(inputs.sums) / 4 : 0;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const i = b * c + ch;
        const inv = heap[plane(0) + i]!;
        const shift = heap[plane(1) + i]!;
        if (name === IN_GRAD_GAMMA) {
          heap[plane(3) + i] = inv;
          heap[plane(4) + i] = shift;
          continue;
        }
        const mg = heap[sums + b * 4 * c + ch]! / hw;
        const m = heap[sums + b * 4 * c + c + ch]! / hw;
        const gain = kind === 'channel' ? 1 + heap[gamma / 4 + i]! : 1;
        heap[plane(2) + i] = gain * inv;
        heap[plane(3) + i] = -inv * inv * m;
        heap[plane(4) + i] = -inv * (mg + shift * m);
      }
    }
    const pixels = n * hw;
    const chunk = Math.max(1, Math.floor(CHUNK / c));
    const a = argBlock(IN_GRAD_X_ARGS, {
      x: at(inputs.x),
      dy: at(inputs.dy),
      gamma: kind === 'spatial' ? gamma : 0,
      a: planes + 2 * nc * 4,
      b: planes + 3 * nc * 4,
      c0: planes + 4 * nc * 4,
      y: at(out),
      pixels,
      hw,
      c,
      chunk,
      spatial: name === IN_GRAD_X && kind === 'spatial' ? 1 : 0,
      gammaOnly: name === IN_GRAD_GAMMA ? 1 : 0,
    });
    const parallel = runtime.threads > 1 && pixels * c >= PARALLEL_MIN;
    runtime.run('in_grad_x', Math.ceil(pixels / chunk), a, parallel);
  } finally {
    runtime.free(planes);
  }
}
