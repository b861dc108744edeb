import * as tf from '@tensorflow/tfjs-core';
import { recordingGradients } from '../../../util/gradient-tape';
import { elementwiseProgram, named, type ProgramRunner, type WebGPUProgram } from './program';

/** How γ / β broadcast against x [N,H,W,C]: absent, per (n, c) [N,1,1,C], or per element. */
export type ModulationKind = 'none' | 'channel' | 'spatial';

export const IN_STATS = 'ThInstanceNormStats';
export const IN_APPLY = 'ThInstanceNormApply';
export const IN_GRAD_SUMS = 'ThInstanceNormGradSums';
export const IN_GRAD_X = 'ThInstanceNormGradX';
export const IN_GRAD_GAMMA = 'ThInstanceNormGradGamma';

const CHANNELS_PER_GROUP = 32;
const LANES = 8;
const THREADS = CHANNELS_PER_GROUP * LANES;

/**
 * How many parts H·W is split into for a per-(n, c) reduction, so that the GPU gets enough
 * workgroups (≥ ~512) even for few samples and channels (lsr-224's first G^l level: N 4, C 32,
 * H·W 50176), each part keeping ≥ 256 pixels.
 */
export function reductionSplits(n: number, c: number, hw: number): number {
  const groups = n * Math.ceil(c / CHANNELS_PER_GROUP);
  return Math.max(1, Math.min(64, Math.ceil(512 / groups), Math.ceil(hw / 256)));
}

/**
 * A per-(sample, channel) reduction over one part of H·W: one workgroup per (sample, 32
 * channels, part); 8 lanes of 32 threads stride over the part's pixels, so each row of 32 threads
 * reads 32 consecutive channels (coalesced in NHWC). `body` runs with n, c, lane, p0, p1 and the
 * helper `laneSum(v, lane)` (the workgroup's sum over lanes, returned to every thread); it writes
 * the part's results for (n, s, c).
 */
function partReduceProgram(
  name: string,
  key: string,
  x: tf.TensorInfo,
  outputShape: number[],
  variableNames: string[],
  splits: number,
  body: string,
): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  return named(name, {
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [n * Math.ceil(c / CHANNELS_PER_GROUP) * splits, 1, 1],
    variableNames,
    workgroupSize: [THREADS, 1, 1],
    uniforms: 'splits : i32, epsilon : f32,',
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${THREADS}>;
      fn laneSum(v : f32, lane : i32) -> f32 {
        partial[localIndex] = v;
        workgroupBarrier();
        for (var stride = ${LANES / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            partial[localIndex] = partial[localIndex] + partial[localIndex + u32(stride * ${CHANNELS_PER_GROUP})];
          }
          workgroupBarrier();
        }
        let total = partial[localIndex % ${CHANNELS_PER_GROUP}u];
        workgroupBarrier();
        return total;
      }
      fn main(unused : i32) {
        let C = uniforms.xShape.w;
        let HW = uniforms.xShape.y * uniforms.xShape.z;
        let S = uniforms.splits;
        let tiles = (C + ${CHANNELS_PER_GROUP - 1}) / ${CHANNELS_PER_GROUP};
        let wg = i32(workgroupId.x);
        let s = wg % S;
        let n = wg / (S * tiles);
        let lane = i32(localIndex) / ${CHANNELS_PER_GROUP};
        let c = ((wg / S) % tiles) * ${CHANNELS_PER_GROUP} + i32(localIndex) % ${CHANNELS_PER_GROUP};
        let chunk = (HW + S - 1) / S;
        let p0 = min(HW, s * chunk);
        let p1 = min(HW, p0 + chunk);
        ${body}
      }`,
  });
}

/**
 * Per part: pixel count, mean and Σ(x − mean)² (two passes over the part, so no cancellation),
 * output [N, S, 3, C]; combined exactly across parts by `statsFinalizeProgram`. With one part
 * (small H·W) it writes the stats [N, 2, C] itself, the values the finalize pass would compute
 * from one part, and no second dispatch is needed.
 */
function statsPartsProgram(x: tf.TensorInfo, splits: number): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  const direct = splits === 1;
  const write = direct
    ? `let base = n * 2 * C + c;
          result[base] = mean;
          result[base + C] = sqrt(m2 / count + uniforms.epsilon);`
    : `let base = ((n * S + s) * 3) * C + c;
          result[base] = count;
          result[base + C] = mean;
          result[base + 2 * C] = m2;`;
  return partReduceProgram(
    IN_STATS,
    direct ? 'th_in_stats_direct' : 'th_in_stats_parts',
    x,
    direct ? [n, 2, c] : [n, splits, 3, c],
    ['x'],
    splits,
    `
        var sum = 0.0;
        if (c < C) {
          for (var p = p0 + lane; p < p1; p = p + ${LANES}) {
            sum = sum + x[(n * HW + p) * C + c];
          }
        }
        let count = f32(p1 - p0);
        let mean = laneSum(sum, lane) / max(count, 1.0);
        var q = 0.0;
        if (c < C) {
          for (var p = p0 + lane; p < p1; p = p + ${LANES}) {
            let d = x[(n * HW + p) * C + c] - mean;
            q = q + d * d;
          }
        }
        let m2 = laneSum(q, lane);
        if (lane == 0 && c < C) {
          ${write}
        }`,
  );
}

/** Mean and σ = √(var + ε) per (n, c) [N, 2, C] from the parts (Chan et al.'s pairwise update). */
function statsFinalizeProgram(parts: tf.TensorInfo): WebGPUProgram {
  const [n, , , c] = parts.shape as [number, number, number, number];
  return elementwiseProgram(
    IN_STATS,
    'th_in_stats_finalize',
    [n, 2, c],
    ['parts'],
    `let C = uniforms.partsShape.w;
          let S = uniforms.partsShape.y;
          let c = index % C;
          let which = (index / C) % 2;
          let n = index / (2 * C);
          var count = 0.0;
          var mean = 0.0;
          var m2 = 0.0;
          for (var s = 0; s < S; s = s + 1) {
            let base = ((n * S + s) * 3) * C + c;
            let nb = parts[base];
            if (nb > 0.0) {
              let delta = parts[base + C] - mean;
              let total = count + nb;
              mean = mean + delta * (nb / total);
              m2 = m2 + parts[base + 2 * C] + delta * delta * (count * nb / total);
              count = total;
            }
          }
          if (which == 0) {
            result[index] = mean;
          } else {
            result[index] = sqrt(m2 / count + uniforms.epsilon);
          }`,
    'epsilon : f32,',
  );
}

/** WGSL for γ or β at flat index `i` of x, for a broadcast kind. */
function modulation(name: string, kind: ModulationKind): string {
  if (kind === 'channel') return `${name}[n * C + c]`;
  if (kind === 'spatial') return `${name}[index]`;
  throw new Error(`no ${name}`);
}

const coordinates = `
          let C = uniforms.xShape.w;
          let c = index % C;
          let n = index / (uniforms.xShape.y * uniforms.xShape.z * C);
          let mean = stats[n * 2 * C + c];
          let sd = stats[n * 2 * C + C + c];
          let xhat = (x[index] - mean) / sd;`;

/**
 * The apply kernel's modulation: a broadcast kind, or packed γ and β in one tensor `styles`
 * (WebGPU inference only), γ first along the last axis: 'packed' per (n, c) [N, 2C] (AdaIN's
 * dense output, not split), 'packedSpatial' per element [N, H, W, 2C] (SPADE's γ and β convs run
 * as one, N = 2C).
 */
export type ApplyKind = ModulationKind | 'packed' | 'packedSpatial';

/** How packed styles broadcast: per (n, c) or per element. */
export type PackedKind = 'channel' | 'spatial';

/** Whether the apply kernel reads γ and β from one packed `styles` tensor. */
const isPacked = (kind: ApplyKind) => kind === 'packed' || kind === 'packedSpatial';

/**
 * y = x̂·(1 + γ) + β (or x̂ alone), x̂ = (x − μ)/σ; with `leaky`, then leaky ReLU with slope
 * uniforms.alpha as ThLeakyRelu computes it (inference: this form has no gradient kernel).
 */
function applyProgram(x: tf.TensorInfo, kind: ApplyKind, leaky: boolean): WebGPUProgram {
  const names =
    kind === 'none'
      ? ['x', 'stats']
      : isPacked(kind)
        ? ['x', 'stats', 'styles']
        : ['x', 'stats', 'gamma', 'beta'];
  // Packed per element: x's element (p, c), p = index / C, has γ at p·2C + c = 2·index − c.
  const y =
    kind === 'none'
      ? 'xhat'
      : kind === 'packed'
        ? 'xhat * (styles[2 * n * C + c] + 1.0) + styles[2 * n * C + C + c]'
        : kind === 'packedSpatial'
          ? 'xhat * (styles[2 * index - c] + 1.0) + styles[2 * index - c + C]'
          : `xhat * (${modulation('gamma', kind)} + 1.0) + ${modulation('beta', kind)}`;
  const out = leaky
    ? `let y = ${y};
          result[index] = select(uniforms.alpha * y, y, y > 0.0);`
    : `result[index] = ${y};`;
  return elementwiseProgram(
    IN_APPLY,
    `th_in_apply_${kind}${leaky ? '_lrelu' : ''}`,
    x.shape,
    names,
    `${coordinates}\n${out}`,
    leaky ? 'alpha : f32,' : undefined,
  );
}

/**
 * Per (n, part, c): Σg, Σg·x̂, Σdy, Σdy·x̂ with g = dy·(1 + γ), the sums the gradients need
 * (output [N, S, 4, C], summed over parts by `partSumProgram`; with one part, the same memory
 * is the sums [N, 4, C] and the output is shaped so).
 */
function gradSumsPartsProgram(
  x: tf.TensorInfo,
  kind: ModulationKind,
  splits: number,
): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  const names = kind === 'none' ? ['x', 'stats', 'dy'] : ['x', 'stats', 'dy', 'gamma'];
  const scale =
    kind === 'none' ? '1.0' : kind === 'channel' ? '(gamma[n * C + c] + 1.0)' : '(gamma[i] + 1.0)';
  return partReduceProgram(
    IN_GRAD_SUMS,
    `th_in_grad_sums_${kind}`,
    x,
    splits === 1 ? [n, 4, c] : [n, splits, 4, c],
    names,
    splits,
    `
        let cs = min(c, C - 1); // threads past the last channel read a valid entry, then idle
        let mean = stats[n * 2 * C + cs];
        let sd = stats[n * 2 * C + C + cs];
        var acc = vec4<f32>(0.0);
        if (c < C) {
          for (var p = p0 + lane; p < p1; p = p + ${LANES}) {
            let i = (n * HW + p) * C + c;
            let xhat = (x[i] - mean) / sd;
            let d = dy[i];
            let g = d * ${scale};
            acc = acc + vec4<f32>(g, g * xhat, d, d * xhat);
          }
        }
        let total = vec4<f32>(laneSum(acc.x, lane), laneSum(acc.y, lane), laneSum(acc.z, lane), laneSum(acc.w, lane));
        if (lane == 0 && c < C) {
          let base = ((n * S + s) * 4) * C + c;
          result[base] = total.x;
          result[base + C] = total.y;
          result[base + 2 * C] = total.z;
          result[base + 3 * C] = total.w;
        }`,
  );
}

/** [N, S, K, C] → [N, K, C]: the sum over parts. */
function partSumProgram(parts: tf.TensorInfo): WebGPUProgram {
  const [n, , k, c] = parts.shape as [number, number, number, number];
  return elementwiseProgram(
    IN_GRAD_SUMS,
    'th_in_part_sum',
    [n, k, c],
    ['parts'],
    `let C = uniforms.partsShape.w;
          let K = uniforms.partsShape.z;
          let S = uniforms.partsShape.y;
          let c = index % C;
          let j = (index / C) % K;
          let n = index / (K * C);
          var total = 0.0;
          for (var s = 0; s < S; s = s + 1) {
            total = total + parts[((n * S + s) * K + j) * C + c];
          }
          result[index] = total;`,
  );
}

/** dx = (g − Σg/HW − x̂·Σg·x̂/HW) / σ. */
function gradXProgram(x: tf.TensorInfo, kind: ModulationKind): WebGPUProgram {
  const names =
    kind === 'none' ? ['x', 'stats', 'dy', 'sums'] : ['x', 'stats', 'dy', 'sums', 'gamma'];
  const scale = kind === 'none' ? '1.0' : `(${modulation('gamma', kind)} + 1.0)`;
  return elementwiseProgram(
    IN_GRAD_X,
    `th_in_grad_x_${kind}`,
    x.shape,
    names,
    `${coordinates}
          let hw = f32(uniforms.xShape.y * uniforms.xShape.z);
          let g = dy[index] * ${scale};
          let sg = sums[(n * 4) * C + c];
          let sgx = sums[(n * 4 + 1) * C + c];
          result[index] = (g - sg / hw - xhat * (sgx / hw)) / sd;`,
  );
}

/** dγ for a spatial γ: dy·x̂. */
function gradGammaSpatialProgram(x: tf.TensorInfo): WebGPUProgram {
  return elementwiseProgram(
    IN_GRAD_GAMMA,
    'th_in_grad_gamma_spatial',
    x.shape,
    ['x', 'stats', 'dy'],
    `${coordinates}
          result[index] = dy[index] * xhat;`,
  );
}

type Runner = ProgramRunner;
const run = (
  backend: unknown,
  p: WebGPUProgram,
  inputs: tf.TensorInfo[],
  uniforms?: Array<{ type: 'float32' | 'int32'; data: number[] }>,
) => (backend as Runner).runWebGPUProgram(p, inputs, 'float32', uniforms);

export function registerInstanceNormKernels(): string[] {
  const kinds = (attrs: unknown) => (attrs as { kind: ModulationKind }).kind;
  tf.registerKernel({
    kernelName: IN_STATS,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const eps = (attrs as { epsilon: number }).epsilon;
      const [n, h, w, c] = x.shape as [number, number, number, number];
      const splits = reductionSplits(n, c, h * w);
      const parts = run(
        backend,
        statsPartsProgram(x, splits),
        [x],
        [
          { type: 'int32', data: [splits] },
          { type: 'float32', data: [eps] },
        ],
      );
      if (splits === 1) return parts;
      const stats = run(
        backend,
        statsFinalizeProgram(parts),
        [parts],
        [{ type: 'float32', data: [eps] }],
      );
      (backend as unknown as { disposeData(id: object): void }).disposeData(parts.dataId);
      return stats;
    },
  });
  tf.registerKernel({
    kernelName: IN_APPLY,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, gamma, beta, styles } = inputs as Record<string, tf.TensorInfo>;
      const kind = (attrs as { kind: ApplyKind }).kind;
      const list =
        kind === 'none'
          ? [x!, stats!]
          : isPacked(kind)
            ? [x!, stats!, styles!]
            : [x!, stats!, gamma!, beta!];
      const alpha = (attrs as { alpha?: number }).alpha;
      if (alpha === undefined) return run(backend, applyProgram(x!, kind, false), list);
      return run(backend, applyProgram(x!, kind, true), list, [{ type: 'float32', data: [alpha] }]);
    },
  });
  tf.registerKernel({
    kernelName: IN_GRAD_SUMS,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, dy, gamma } = inputs as Record<string, tf.TensorInfo>;
      const kind = kinds(attrs);
      const list = kind === 'none' ? [x!, stats!, dy!] : [x!, stats!, dy!, gamma!];
      const [n, h, w, c] = x!.shape as [number, number, number, number];
      const splits = reductionSplits(n, c, h * w);
      const parts = run(backend, gradSumsPartsProgram(x!, kind, splits), list, [
        { type: 'int32', data: [splits] },
        { type: 'float32', data: [0] },
      ]);
      if (splits === 1) return parts;
      const sums = run(backend, partSumProgram(parts), [parts]);
      (backend as unknown as { disposeData(id: object): void }).disposeData(parts.dataId);
      return sums;
    },
  });
  tf.registerKernel({
    kernelName: IN_GRAD_X,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, dy, sums, gamma } = inputs as Record<string, tf.TensorInfo>;
      const kind = kinds(attrs);
      const list = kind === 'none' ? [x!, stats!, dy!, sums!] : [x!, stats!, dy!, sums!, gamma!];
      return run(backend, gradXProgram(x!, kind), list);
    },
  });
  tf.registerKernel({
    kernelName: IN_GRAD_GAMMA,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { x, stats, dy } = inputs as Record<string, tf.TensorInfo>;
      return run(backend, gradGammaSpatialProgram(x!), [x!, stats!, dy!]);
    },
  });
  return [IN_STATS, IN_APPLY, IN_GRAD_SUMS, IN_GRAD_X, IN_GRAD_GAMMA];
}

const runKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) =>
  tf.engine().runKernel(name, inputs, attrs as never) as tf.Tensor;

/** How a γ/β tensor broadcasts against x, or null for shapes the kernels do not cover. */
export function modulationKind(x: tf.Tensor4D, t: tf.Tensor): ModulationKind | null {
  const [n, h, w, c] = x.shape;
  const s = t.shape;
  if (s.length === 4 && s[0] === n && s[3] === c) {
    if (s[1] === 1 && s[2] === 1) return 'channel';
    if (s[1] === h && s[2] === w) return 'spatial';
  }
  return null;
}

/**
 * IN(x)·(1 + γ) + β (or IN(x) when γ, β are null) in two kernels forward and two or three
 * backward, as one differentiable op (tf.customGrad). First-order gradients only: its gradient
 * kernels have no gradients of their own (LSR uses instance norm only in the generators, which
 * are never differentiated twice; D, which R1/R2 differentiate twice, has no norm).
 */
export function fusedInstanceNorm(
  x: tf.Tensor4D,
  epsilon: number,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
): tf.Tensor4D {
  if ((gamma === null) !== (beta === null))
    throw new Error('fused instance norm: give both γ and β or neither');
  if (!recordingGradients()) return instanceNormInference(x, epsilon, gamma, beta);
  if (gamma && beta) {
    const kind = modulationKind(x, gamma);
    if (!kind || modulationKind(x, beta) !== kind)
      throw new Error(
        `fused instance norm: γ [${gamma.shape}] and β [${beta.shape}] must both be [N,1,1,C] or [N,H,W,C] for x [${x.shape}]`,
      );
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [xi, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const stats = runKernel(IN_STATS, { x: xi }, { epsilon });
      const value = runKernel(IN_APPLY, { x: xi, stats, gamma: g, beta: b }, { kind });
      save([xi, stats, g]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, st, gs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const sums = runKernel(IN_GRAD_SUMS, { x: xs, stats: st, dy, gamma: gs }, { kind });
          const dx = runKernel(IN_GRAD_X, { x: xs, stats: st, dy, sums, gamma: gs }, { kind });
          if (kind === 'spatial') {
            const dg = runKernel(IN_GRAD_GAMMA, { x: xs, stats: st, dy }, {});
            sums.dispose();
            return [dx, dg, tf.clone(dy)];
          }
          const [n, , , c] = xs.shape;
          const perChannel = (k: number) =>
            tf.reshape(tf.slice(sums, [0, k, 0], [n!, 1, c!]), [n!, 1, 1, c!]);
          const dg = perChannel(3);
          const db = perChannel(2);
          sums.dispose();
          return [dx, dg, db];
        },
      };
    });
    return op(x, gamma, beta) as tf.Tensor4D;
  }
  const plain = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const stats = runKernel(IN_STATS, { x: xi }, { epsilon });
    const value = runKernel(IN_APPLY, { x: xi, stats }, { kind: 'none' });
    save([xi, stats]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, st] = saved as [tf.Tensor, tf.Tensor];
        const sums = runKernel(IN_GRAD_SUMS, { x: xs, stats: st, dy }, { kind: 'none' });
        const dx = runKernel(IN_GRAD_X, { x: xs, stats: st, dy, sums }, { kind: 'none' });
        sums.dispose();
        return dx;
      },
    };
  });
  return plain(x) as tf.Tensor4D;
}

/**
 * Inference (no gradient tape): the two kernels alone (tf.customGrad's bookkeeping costs more
 * than they do at small sizes). `leakySlope` (leaky ReLU in the apply kernel) and packed styles
 * (γ, β as one [N, 2C] tensor; pass it as `gamma` with `beta` null) are attributes only the
 * WebGPU kernel reads: callers on other backends never pass them.
 */
export function instanceNormInference(
  x: tf.Tensor4D,
  epsilon: number,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  leakySlope?: number,
  packed?: PackedKind,
): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const kind: ApplyKind | null =
    packed === 'channel'
      ? 'packed'
      : packed === 'spatial'
        ? 'packedSpatial'
        : gamma && beta
          ? modulationKind(x, gamma)
          : 'none';
  if (packed === 'channel' && (gamma?.size !== 2 * n * c || beta))
    throw new Error(`fused instance norm: packed styles must hold [${n}, ${2 * c}] values`);
  if (
    packed === 'spatial' &&
    (!gamma || beta || gamma.rank !== 4 || gamma.shape.join() !== [n, h, w, 2 * c].join())
  )
    throw new Error(
      `fused instance norm: packed spatial styles must be [${n}, ${h}, ${w}, ${2 * c}], got [${gamma?.shape}]`,
    );
  if (kind === null || (!packed && beta && modulationKind(x, beta) !== kind))
    throw new Error(
      `fused instance norm: γ [${gamma?.shape}] and β [${beta?.shape}] must both be [N,1,1,C] or [N,H,W,C] for x [${x.shape}]`,
    );
  const stats = runKernel(IN_STATS, { x }, { epsilon });
  const inputs: Record<string, tf.Tensor> = packed
    ? { x, stats, styles: gamma! }
    : gamma && beta
      ? { x, stats, gamma, beta }
      : { x, stats };
  const attrs = leakySlope === undefined ? { kind } : { kind, alpha: leakySlope };
  const value = runKernel(IN_APPLY, inputs, attrs);
  stats.dispose();
  return value as tf.Tensor4D;
}
