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
  if (kind === 'channel') return (_i: number, ch: number) => 1 + gamma![b * c + ch]!;
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

/**
 * 2× bilinear upsampling (half-pixel centres, edge rows repeated) of NHWC x [n, h, w, c] into
 * y [n, 2h, 2w, c], one axis at a time as ops/upsample.ts does: output 2i takes
 * x[i] + ¼(x[i−1] − x[i]) and 2i+1 takes x[i] + ¼(x[i+1] − x[i]), neighbours clamped at the edges.
 */
export function upsampleBilinear2xValues(
  x: Float32Array,
  shape: readonly [number, number, number, number],
  y: Float32Array,
) {
  const [n, h, w, c] = shape;
  const rows = new Float32Array(n * 2 * h * w * c);
  // Along H: whole rows of w·c values.
  const row = w * c;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const src = (b * h + i) * row;
      const up = (b * h + Math.max(i - 1, 0)) * row;
      const down = (b * h + Math.min(i + 1, h - 1)) * row;
      const even = (b * 2 * h + 2 * i) * row;
      const odd = even + row;
      for (let k = 0; k < row; k++) {
        const v = x[src + k]!;
        rows[even + k] = v + 0.25 * (x[up + k]! - v);
        rows[odd + k] = v + 0.25 * (x[down + k]! - v);
      }
    }
  }
  // Along W: pixels of c values.
  for (let r = 0; r < n * 2 * h; r++) {
    for (let j = 0; j < w; j++) {
      const src = (r * w + j) * c;
      const left = (r * w + Math.max(j - 1, 0)) * c;
      const right = (r * w + Math.min(j + 1, w - 1)) * c;
      const even = (r * 2 * w + 2 * j) * c;
      const odd = even + c;
      for (let k = 0; k < c; k++) {
        const v = rows[src + k]!;
        y[even + k] = v + 0.25 * (rows[left + k]! - v);
        y[odd + k] = v + 0.25 * (rows[right + k]! - v);
      }
    }
  }
}

/**
 * The adjoint of `upsampleBilinear2xValues` (its gradient): dy [n, 2h, 2w, c] → dx [n, h, w, c].
 * Each output took ¾ of its own source and ¼ of a clamped neighbour (all of its source at an
 * edge, where the neighbour is itself), so each output's gradient goes back with those weights.
 */
export function upsampleBilinear2xAdjoint(
  dy: Float32Array,
  shape: readonly [number, number, number, number],
  dx: Float32Array,
) {
  const [n, h, w, c] = shape;
  const rows = new Float32Array(n * 2 * h * w * c);
  // Undo W first (the forward pass did it last).
  for (let r = 0; r < n * 2 * h; r++) {
    for (let j = 0; j < w; j++) {
      const dst = (r * w + j) * c;
      const left = (r * w + Math.max(j - 1, 0)) * c;
      const right = (r * w + Math.min(j + 1, w - 1)) * c;
      const even = (r * 2 * w + 2 * j) * c;
      const odd = even + c;
      for (let k = 0; k < c; k++) {
        const ge = dy[even + k]!;
        const go = dy[odd + k]!;
        rows[dst + k] = rows[dst + k]! + 0.75 * (ge + go);
        rows[left + k] = rows[left + k]! + 0.25 * ge;
        rows[right + k] = rows[right + k]! + 0.25 * go;
      }
    }
  }
  const row = w * c;
  dx.fill(0);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const dst = (b * h + i) * row;
      const up = (b * h + Math.max(i - 1, 0)) * row;
      const down = (b * h + Math.min(i + 1, h - 1)) * row;
      const even = (b * 2 * h + 2 * i) * row;
      const odd = even + row;
      for (let k = 0; k < row; k++) {
        const ge = rows[even + k]!;
        const go = rows[odd + k]!;
        dx[dst + k] = dx[dst + k]! + 0.75 * (ge + go);
        dx[up + k] = dx[up + k]! + 0.25 * ge;
        dx[down + k] = dx[down + k]! + 0.25 * go;
      }
    }
  }
}
