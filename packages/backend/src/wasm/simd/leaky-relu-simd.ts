import { chunkRange, vectorThenScalar } from './run-loops';
import { F32, FunctionBuilder, I32, V128 } from './wasm-builder';

/** Leaky ReLU and its gradient as SIMD kernels (`(tile, args, thread)`, f32 values as bits). */

/** `leaky_relu` and `leaky_relu_grad`: elements [tile·chunk, …) of `count`. */
export const LEAKY_RELU_ARGS = {
  x: 0,
  y: 1,
  count: 2,
  chunk: 3,
  alpha: 4,
  dy: 5,
  size: 6,
} as const;

/** y = max(x, α·x), which is leaky ReLU for 0 ≤ α ≤ 1 (the caller checks α). */
export function leakyReluFunction(): FunctionBuilder {
  const A = LEAKY_RELU_ARGS;
  const f = new FunctionBuilder('leaky_relu', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const [x, y, i, end, vecEnd] = [
    f.local(I32),
    f.local(I32),
    f.local(I32),
    f.local(I32),
    f.local(I32),
  ];
  const alpha = f.local(F32);
  const av = f.local(V128);
  const v = f.local(V128);
  const s = f.local(F32);
  f.loadArg(args, A.x, x).loadArg(args, A.y, y);
  f.get(args)
    .f32Load(A.alpha * 4)
    .tee(alpha)
    .f32x4Splat()
    .set(av);
  chunkRange(f, args, tile, i, end, A);
  vectorThenScalar(
    f,
    i,
    end,
    vecEnd,
    () => {
      f.get(y).get(i).add();
      f.get(x).get(i).add().v128Load(0).tee(v).get(v).get(av).f32x4Mul().f32x4Max().v128Store(0);
    },
    () => {
      f.get(y).get(i).add();
      f.get(x).get(i).add().f32Load(0).tee(s).get(s).get(alpha).f32Mul().f32Max().f32Store(0);
    },
  );
  return f;
}

/** y = x > 0 ? dy : α·dy. */
export function leakyReluGradFunction(): FunctionBuilder {
  const A = LEAKY_RELU_ARGS;
  const f = new FunctionBuilder('leaky_relu_grad', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [x, y, dy, i, end, vecEnd] = [L(), L(), L(), L(), L(), L()];
  const alpha = f.local(F32);
  const av = f.local(V128);
  const g = f.local(V128);
  const s = f.local(F32);
  f.loadArg(args, A.x, x).loadArg(args, A.y, y).loadArg(args, A.dy, dy);
  f.get(args)
    .f32Load(A.alpha * 4)
    .tee(alpha)
    .f32x4Splat()
    .set(av);
  chunkRange(f, args, tile, i, end, A);
  vectorThenScalar(
    f,
    i,
    end,
    vecEnd,
    () => {
      f.get(y).get(i).add();
      f.get(dy).get(i).add().v128Load(0).tee(g).get(g).get(av).f32x4Mul();
      f.get(x).get(i).add().v128Load(0).v128Zero().f32x4Gt().bitselect().v128Store(0);
    },
    () => {
      f.get(y).get(i).add();
      f.get(dy).get(i).add().f32Load(0).tee(s).get(s).get(alpha).f32Mul();
      f.get(x).get(i).add().f32Load(0).f32(0).f32Gt().select().f32Store(0);
    },
  );
  return f;
}
