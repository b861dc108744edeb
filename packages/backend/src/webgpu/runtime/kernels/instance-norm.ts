import * as tf from '@tensorflow/tfjs-core';
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

/**
 * One workgroup per (sample, 32 channels): 8 lanes of 32 threads stride over H·W, so each row of
 * 32 threads reads 32 consecutive channels (coalesced in NHWC). `accumulate` is the WGSL body
 * adding one element at flat index `i` to the per-thread accumulators `acc[k]`; after the loop
 * the workgroup sums the lanes and lane 0 calls `finish(n, c)` with `acc` holding the totals.
 */
function channelReduceProgram(
  key: string,
  x: tf.TensorInfo,
  outputShape: number[],
  variableNames: string[],
  sums: number,
  prelude: string,
  accumulate: string,
  finish: string,
): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  const groups = n * Math.ceil(c / CHANNELS_PER_GROUP);
  const threads = CHANNELS_PER_GROUP * LANES;
  return named(IN_GRAD_SUMS, {
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [groups, 1, 1],
    variableNames,
    workgroupSize: [threads, 1, 1],
    getUserCode: () => `
      var<workgroup> partial : array<array<f32, ${threads}>, ${sums}>;
      fn main(unused : i32) {
        let C = uniforms.xShape.w;
        let HW = uniforms.xShape.y * uniforms.xShape.z;
        let tiles = (C + ${CHANNELS_PER_GROUP - 1}) / ${CHANNELS_PER_GROUP};
        let n = i32(workgroupId.x) / tiles;
        let col = i32(localIndex) % ${CHANNELS_PER_GROUP};
        let lane = i32(localIndex) / ${CHANNELS_PER_GROUP};
        let c = (i32(workgroupId.x) % tiles) * ${CHANNELS_PER_GROUP} + col;
        ${prelude}
        var acc : array<f32, ${sums}>;
        if (c < C) {
          for (var p = lane; p < HW; p = p + ${LANES}) {
            let i = (n * HW + p) * C + c;
            ${accumulate}
          }
        }
        for (var k = 0; k < ${sums}; k = k + 1) {
          partial[k][localIndex] = acc[k];
        }
        workgroupBarrier();
        for (var stride = ${LANES / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            for (var k = 0; k < ${sums}; k = k + 1) {
              partial[k][localIndex] = partial[k][localIndex] + partial[k][localIndex + u32(stride * ${CHANNELS_PER_GROUP})];
            }
          }
          workgroupBarrier();
        }
        if (lane == 0 && c < C) {
          for (var k = 0; k < ${sums}; k = k + 1) {
            acc[k] = partial[k][localIndex];
          }
          ${finish}
        }
      }`,
  });
}

/** Mean and σ = √(var + ε) per (n, c), two passes over H·W (as the op-by-op form computes). */
function statsProgram(x: tf.TensorInfo): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  const threads = CHANNELS_PER_GROUP * LANES;
  return named(IN_STATS, {
    outputShape: [n, 2, c],
    shaderKey: 'th_in_stats',
    dispatchLayout: { x: [0] },
    dispatch: [n * Math.ceil(c / CHANNELS_PER_GROUP), 1, 1],
    variableNames: ['x'],
    workgroupSize: [threads, 1, 1],
    uniforms: 'epsilon : f32,',
    // The second pass sums (x − μ)² with μ from the first: no cancellation, as mean(square(x − μ)).
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${threads}>;
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
        let tiles = (C + ${CHANNELS_PER_GROUP - 1}) / ${CHANNELS_PER_GROUP};
        let n = i32(workgroupId.x) / tiles;
        let lane = i32(localIndex) / ${CHANNELS_PER_GROUP};
        let c = (i32(workgroupId.x) % tiles) * ${CHANNELS_PER_GROUP} + i32(localIndex) % ${CHANNELS_PER_GROUP};
        var s = 0.0;
        if (c < C) {
          for (var p = lane; p < HW; p = p + ${LANES}) {
            s = s + x[(n * HW + p) * C + c];
          }
        }
        let mean = laneSum(s, lane) / f32(HW);
        var q = 0.0;
        if (c < C) {
          for (var p = lane; p < HW; p = p + ${LANES}) {
            let d = x[(n * HW + p) * C + c] - mean;
            q = q + d * d;
          }
        }
        let variance = laneSum(q, lane) / f32(HW);
        if (lane == 0 && c < C) {
          result[n * 2 * C + c] = mean;
          result[n * 2 * C + C + c] = sqrt(variance + uniforms.epsilon);
        }
      }`,
  });
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

/** y = x̂·(1 + γ) + β (or x̂ alone), x̂ = (x − μ)/σ. */
function applyProgram(x: tf.TensorInfo, kind: ModulationKind): WebGPUProgram {
  const names = kind === 'none' ? ['x', 'stats'] : ['x', 'stats', 'gamma', 'beta'];
  const out =
    kind === 'none'
      ? 'result[index] = xhat;'
      : `result[index] = xhat * (${modulation('gamma', kind)} + 1.0) + ${modulation('beta', kind)};`;
  return elementwiseProgram(
    IN_APPLY,
    `th_in_apply_${kind}`,
    x.shape,
    names,
    `${coordinates}\n${out}`,
  );
}

/**
 * Per (n, c): Σg, Σg·x̂, Σdy, Σdy·x̂ with g = dy·(1 + γ), the sums the gradients need
 * (output [N, 4, C]).
 */
function gradSumsProgram(x: tf.TensorInfo, kind: ModulationKind): WebGPUProgram {
  const [n, , , c] = x.shape as [number, number, number, number];
  const names = kind === 'none' ? ['x', 'stats', 'dy'] : ['x', 'stats', 'dy', 'gamma'];
  const scale =
    kind === 'none' ? '1.0' : kind === 'channel' ? '(gamma[n * C + c] + 1.0)' : '(gamma[i] + 1.0)';
  return channelReduceProgram(
    `th_in_grad_sums_${kind}`,
    x,
    [n, 4, c],
    names,
    4,
    `let cs = min(c, C - 1); // threads past the last channel read a valid entry, then idle
        let mean = stats[n * 2 * C + cs];
        let sd = stats[n * 2 * C + C + cs];`,
    `let xhat = (x[i] - mean) / sd;
            let d = dy[i];
            let g = d * ${scale};
            acc[0] = acc[0] + g;
            acc[1] = acc[1] + g * xhat;
            acc[2] = acc[2] + d;
            acc[3] = acc[3] + d * xhat;`,
    `for (var k = 0; k < 4; k = k + 1) {
            result[(n * 4 + k) * C + c] = acc[k];
          }`,
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
  uniforms?: Array<{ type: 'float32'; data: number[] }>,
) => (backend as Runner).runWebGPUProgram(p, inputs, 'float32', uniforms);

export function registerInstanceNormKernels(): string[] {
  const kinds = (attrs: unknown) => (attrs as { kind: ModulationKind }).kind;
  tf.registerKernel({
    kernelName: IN_STATS,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const eps = (attrs as { epsilon: number }).epsilon;
      return run(backend, statsProgram(x), [x], [{ type: 'float32', data: [eps] }]);
    },
  });
  tf.registerKernel({
    kernelName: IN_APPLY,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      const kind = kinds(attrs);
      const list = kind === 'none' ? [x!, stats!] : [x!, stats!, gamma!, beta!];
      return run(backend, applyProgram(x!, kind), list);
    },
  });
  tf.registerKernel({
    kernelName: IN_GRAD_SUMS,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, dy, gamma } = inputs as Record<string, tf.TensorInfo>;
      const kind = kinds(attrs);
      const list = kind === 'none' ? [x!, stats!, dy!] : [x!, stats!, dy!, gamma!];
      return run(backend, gradSumsProgram(x!, kind), list);
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
