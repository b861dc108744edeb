import type { FunctionBuilder } from './wasm-builder';

/** The v128 locals of a 4 × 8 register tile: 8 accumulators, the 8-lane operand, a splat. */
export interface TileRegisters {
  /** acc[2j], acc[2j + 1]: lanes 0–3 and 4–7 of row j. */
  acc: number[];
  b0: number;
  b1: number;
  a: number;
}

/**
 * Emit one step of a 4 × 8 outer-product tile, the inner loop of both the convolution and its
 * filter gradient: load 8 floats at the address in local `operand` (bytes 0–31) into b0/b1, then
 * for each row j, with `splat(j)` leaving that row's input as an f32x4 splat on the stack,
 * acc[2j] += a·b0 and acc[2j + 1] += a·b1. Multiply then add: wasm SIMD has no fused
 * multiply-add outside relaxed SIMD.
 */
export function tileStep(
  f: FunctionBuilder,
  r: TileRegisters,
  operand: number,
  splat: (j: number) => void,
): void {
  f.get(operand).v128Load(0).set(r.b0);
  f.get(operand).v128Load(16).set(r.b1);
  for (let j = 0; j < 4; j++) {
    splat(j);
    f.set(r.a);
    for (const [acc, b] of [
      [r.acc[2 * j]!, r.b0],
      [r.acc[2 * j + 1]!, r.b1],
    ] as const) {
      f.get(acc).get(r.a).get(b).f32x4Mul().f32x4Add().set(acc);
    }
  }
}
