import type { ModulationKind } from '../webgpu/runtime/kernels/instance-norm';

/**
 * The arithmetic of @th's fused instance norm + modulation and leaky ReLU on plain Float32Arrays
 * (NHWC, channels contiguous), for backends whose tensors live in CPU memory (wasm's heap, the
 * cpu backend's arrays). The same quantities as the WebGPU kernels (webgpu/runtime/kernels):
 *
 *   stats [N, 2, C]   mean μ and σ = √(var + ε) per (n, c), var the population variance over H·W
 *   apply             y = x̂·(1 + γ) + β (or x̂), x̂ = (x − μ)/σ, γ/β per (n, c) or per element
 *   grad sums [N,4,C] Σg, Σg·x̂, Σdy, Σdy·x̂ over H·W, g = dy·(1 + γ)
 *   grad x            dx = (g − Σg/HW − x̂·Σg·x̂/HW)/σ
 *   grad γ (spatial)  dy·x̂
 *
 * Sums run in float64 per channel, two passes for the variance (no cancellation for inputs with
 * a large mean). One pass over memory in pixel order for each sum: the C accumulators of a pixel
 * row are contiguous, as the data are.
 */

export interface Nhwc {
  n: number;
  /** Pixels per image, H·W. */
  hw: number;
  c: number;
}

/** μ and σ per (n, c) into `stats` [N, 2, C]. */
export function instanceNormStats(x: Float32Array, s: Nhwc, epsilon: number, stats: Float32Array) {
  const { n, hw, c } = s;
  const sum = new Float64Array(c);
  const mean = new Float64Array(c);
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    sum.fill(0);
    for (let p = 0, i = base; p < hw; p++)
      for (let ch = 0; ch < c; ch++, i++) sum[ch] = sum[ch]! + x[i]!;
    for (let ch = 0; ch < c; ch++) mean[ch] = sum[ch]! / hw;
    sum.fill(0);
    for (let p = 0, i = base; p < hw; p++) {
      for (let ch = 0; ch < c; ch++, i++) {
        const d = x[i]! - mean[ch]!;
        sum[ch] = sum[ch]! + d * d;
      }
    }
    for (let ch = 0; ch < c; ch++) {
      stats[b * 2 * c + ch] = mean[ch]!;
      stats[b * 2 * c + c + ch] = Math.sqrt(sum[ch]! / hw + epsilon);
    }
  }
}

/** y = x̂·(1 + γ) + β, or x̂ for kind 'none' (γ, β unused then). */
export function instanceNormApply(
  x: Float32Array,
  stats: Float32Array,
  s: Nhwc,
  kind: ModulationKind,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  y: Float32Array,
) {
  const { n, hw, c } = s;
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    // Per channel: x̂ = x·(1/σ) − μ/σ; with a per-channel γ, β the whole map is y = x·scale + shift.
    for (let ch = 0; ch < c; ch++) {
      const inv = 1 / stats[b * 2 * c + c + ch]!;
      const m = stats[b * 2 * c + ch]!;
      if (kind === 'channel') {
        const g = 1 + gamma![b * c + ch]!;
        scale[ch] = inv * g;
        shift[ch] = beta![b * c + ch]! - m * inv * g;
      } else {
        scale[ch] = inv;
        shift[ch] = -m * inv;
      }
    }
    if (kind === 'spatial') {
      for (let p = 0, i = base; p < hw; p++) {
        for (let ch = 0; ch < c; ch++, i++) {
          y[i] = (x[i]! * scale[ch]! + shift[ch]!) * (1 + gamma![i]!) + beta![i]!;
        }
      }
    } else {
      for (let p = 0, i = base; p < hw; p++) {
        for (let ch = 0; ch < c; ch++, i++) y[i] = x[i]! * scale[ch]! + shift[ch]!;
      }
    }
  }
}

/** (1 + γ) at flat index i of image b, channel ch (1 for kind 'none'). */
function gain(kind: ModulationKind, gamma: Float32Array | null, b: number, c: number) {
  if (kind === 'channel') return (i: number, ch: number) => 1 + gamma![b * c + ch]!;
  if (kind === 'spatial') return (i: number) => 1 + gamma![i]!;
  return () => 1;
}

/** Σg, Σg·x̂, Σdy, Σdy·x̂ per (n, c) into `sums` [N, 4, C]. */
export function instanceNormGradSums(
  x: Float32Array,
  stats: Float32Array,
  dy: Float32Array,
  s: Nhwc,
  kind: ModulationKind,
  gamma: Float32Array | null,
  sums: Float32Array,
) {
  const { n, hw, c } = s;
  const sg = new Float64Array(c);
  const sgx = new Float64Array(c);
  const sd = new Float64Array(c);
  const sdx = new Float64Array(c);
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    const g = gain(kind, gamma, b, c);
    for (const a of [sg, sgx, sd, sdx]) a.fill(0);
    for (let p = 0, i = base; p < hw; p++) {
      for (let ch = 0; ch < c; ch++, i++) {
        const xhat = (x[i]! - stats[b * 2 * c + ch]!) / stats[b * 2 * c + c + ch]!;
        const d = dy[i]!;
        const gd = d * g(i, ch);
        sg[ch] = sg[ch]! + gd;
        sgx[ch] = sgx[ch]! + gd * xhat;
        sd[ch] = sd[ch]! + d;
        sdx[ch] = sdx[ch]! + d * xhat;
      }
    }
    for (let ch = 0; ch < c; ch++) {
      const o = b * 4 * c + ch;
      sums[o] = sg[ch]!;
      sums[o + c] = sgx[ch]!;
      sums[o + 2 * c] = sd[ch]!;
      sums[o + 3 * c] = sdx[ch]!;
    }
  }
}

/** dx = (g − Σg/HW − x̂·Σg·x̂/HW)/σ. */
export function instanceNormGradX(
  x: Float32Array,
  stats: Float32Array,
  dy: Float32Array,
  sums: Float32Array,
  s: Nhwc,
  kind: ModulationKind,
  gamma: Float32Array | null,
  dx: Float32Array,
) {
  const { n, hw, c } = s;
  for (let b = 0; b < n; b++) {
    const base = b * hw * c;
    const g = gain(kind, gamma, b, c);
    for (let p = 0, i = base; p < hw; p++) {
      for (let ch = 0; ch < c; ch++, i++) {
        const m = stats[b * 2 * c + ch]!;
        const sigma = stats[b * 2 * c + c + ch]!;
        const xhat = (x[i]! - m) / sigma;
        const mg = sums[b * 4 * c + ch]! / hw;
        const mgx = sums[b * 4 * c + c + ch]! / hw;
        dx[i] = (dy[i]! * g(i, ch) - mg - xhat * mgx) / sigma;
      }
    }
  }
}

/** dγ for a per-element γ: dy·x̂. */
export function instanceNormGradGamma(
  x: Float32Array,
  stats: Float32Array,
  dy: Float32Array,
  s: Nhwc,
  dg: Float32Array,
) {
  const { n, hw, c } = s;
  for (let b = 0; b < n; b++) {
    for (let p = 0, i = b * hw * c; p < hw; p++) {
      for (let ch = 0; ch < c; ch++, i++) {
        dg[i] = (dy[i]! * (x[i]! - stats[b * 2 * c + ch]!)) / stats[b * 2 * c + c + ch]!;
      }
    }
  }
}

/** y = x > 0 ? x : α·x. */
export function leakyReluValues(x: Float32Array, alpha: number, y: Float32Array) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : alpha * v;
  }
}

/** dx = x > 0 ? dy : α·dy (f′(0) = α, as the portable form's relu step gives). */
export function leakyReluGradValues(
  dy: Float32Array,
  x: Float32Array,
  alpha: number,
  dx: Float32Array,
) {
  for (let i = 0; i < dy.length; i++) {
    const g = dy[i]!;
    dx[i] = x[i]! > 0 ? g : alpha * g;
  }
}
