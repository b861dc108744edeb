import { REDUCE_WORKGROUP, type ReducePass } from './reduce-plan';
import { named, type WebGPUProgram } from './runtime/kernels/program';

/** The name GPU profiles report @th's reduction passes under. */
export const REDUCE_PROGRAM_NAME = 'ThReduceProgram';

/**
 * One pass of a float32 sum over the middle axis of [outer, rows, inner] (reduce-plan.ts):
 * workgroup w takes outputs [tile·columns, +columns) of the flat [outer, inner] and rows
 * [split·chunk, +chunk); each thread adds its rows in order (stride: the row lanes), then the
 * lanes of a column are added as a binary tree in workgroup memory, always in the same order.
 * Writes [outer, splits, inner] divided by `divisor` (the element count on a mean's last pass,
 * else 1: exact). Every size is a uniform and buffers are bound flat, so one pipeline serves
 * every shape (a new pipeline costs seconds of compilation on a software adapter).
 */
export function reduceProgram(pass: ReducePass): WebGPUProgram {
  return named(REDUCE_PROGRAM_NAME, {
    outputShape: [pass.outer * pass.splits * pass.inner],
    shaderKey: 'th_reduce_sum',
    dispatchLayout: { x: [0] },
    dispatch: [pass.workgroups, 1, 1],
    variableNames: ['x'],
    workgroupSize: [REDUCE_WORKGROUP, 1, 1],
    uniforms:
      'outer : i32, rows : i32, inner : i32, columns : i32, splits : i32, chunk : i32, divisor : f32,',
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${REDUCE_WORKGROUP}>;
      fn main(index : i32) {
        let local = i32(localIndex);
        // tfjs folds a dispatch over 65535 workgroups into y/z; index is the flat thread id.
        let wg = index / ${REDUCE_WORKGROUP};
        let C = uniforms.columns;
        let lanes = ${REDUCE_WORKGROUP} / C;
        let col = local % C;
        let lane = local / C;
        let S = uniforms.splits;
        let R = uniforms.rows;
        let I = uniforms.inner;
        let s = wg % S;
        let e = (wg / S) * C + col;
        let valid = e < uniforms.outer * I;
        let o = e / I;
        let i = e - o * I;
        let r0 = s * uniforms.chunk;
        let r1 = min(R, r0 + uniforms.chunk);
        var acc = 0.0;
        if (valid) {
          let base = o * R * I + i;
          for (var r = r0 + lane; r < r1; r = r + lanes) {
            acc = acc + x[base + r * I];
          }
        }
        partial[local] = acc;
        workgroupBarrier();
        for (var stride = lanes / 2; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            partial[local] = partial[local] + partial[local + stride * C];
          }
          workgroupBarrier();
        }
        if (valid && lane == 0) {
          result[(o * S + s) * I + i] = partial[local] / uniforms.divisor;
        }
      }`,
  });
}

/** The values of the program's `uniforms`, in declaration order. */
export function reduceUniforms(
  pass: ReducePass,
  divisor: number,
): Array<{ type: 'int32' | 'float32'; data: number[] }> {
  const ints = [pass.outer, pass.rows, pass.inner, pass.columns, pass.splits, pass.chunk];
  return [
    ...ints.map((v) => ({ type: 'int32' as const, data: [v] })),
    { type: 'float32', data: [divisor] },
  ];
}
