import type { FunctionBuilder } from './wasm-builder';

/**
 * Emit: store the first `count` (runtime, 0..8) floats of the 8-lane pair (lo, hi) at byte
 * address `addr`. Used for the last output-channel block when the channel count is not a
 * multiple of 8. Clobbers `v` (v128) and `a` (i32) scratch locals.
 */
export function storeFirstLanes(
  f: FunctionBuilder,
  addr: number,
  lo: number,
  hi: number,
  count: number,
  v: number,
  a: number,
): void {
  f.get(count).i32(8).geU().if();
  f.get(addr).get(lo).v128Store(0);
  f.get(addr).get(hi).v128Store(16);
  f.else();
  f.get(lo).set(v).get(addr).set(a);
  f.get(count).i32(4).and().if();
  f.get(a).get(v).v128Store(0);
  f.get(hi).set(v).inc(a, 16);
  f.end();
  f.get(count).i32(2).and().if();
  f.get(a).get(v).v128Store64Lane(0);
  // Move lanes 2,3 down to 0,1.
  f.get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]).set(v);
  f.inc(a, 8);
  f.end();
  f.get(count).i32(1).and().if();
  f.get(a).get(v).v128Store32Lane(0);
  f.end();
  f.end();
}
