import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init, setPrecision } from '../init';
import { roundToHalf } from '../io/half-float';
import { createRng } from '../util/rng';
import {
  type EpilogueActivation,
  epilogueSpec,
  epilogueUniformData,
  type GemmEpilogue,
} from './gemm-epilogue';
import type { MatrixTile } from './gemm-matrix-tiles';
import { emulateSubgroupMatrices, runGemm } from './gemm-program';
import { GEMM_TILES, type GemmTile } from './gemm-tiles';
import { relativeMaxError } from './kernel-check';
import { matrixOperand } from './matrix-operand';
import { SplitKReduceProgram } from './split-k-reduce';

/**
 * The GEMM epilogue (y = act(A·B·scale + bias[col]) + residual, gemm-epilogue.ts) against a
 * float64 reference, in each place it runs: the tiled kernel's store phase (vec4 and scalar
 * stores), the split-K reduction (vec4 and scalar) and the tensor-core kernel's copy-out (its
 * subgroup-matrix builtins emulated, as on lavapipe). The vec4 case exceeds the 128×128 tile in
 * M and N (two full blocks and a cut edge); its 8×8 outputs per thread make two row and two
 * column groups, so every store the generator writes is exercised. The scalar case runs the thin
 * 128×4 tile LSR's RGB and 1-channel outputs take. Other tiles write the same store expressions
 * through fewer groups (their plain stores are tested per tile in batch-matmul.webgpu.test.ts);
 * each tile with an epilogue is a pipeline lavapipe compiles for seconds, so CI runs these two.
 */

interface Case {
  m: number;
  n: number;
  k: number;
  activation: EpilogueActivation;
  bias: boolean;
  residual: boolean;
}

const SCALE = 0.37;
const ALPHA = 0.2;

/** Operands, bias and residual of a case. */
function caseData(c: Case, seed: number) {
  const rng = createRng(seed);
  return {
    a: rng.normalArray(c.m * c.k),
    b: rng.normalArray(c.k * c.n),
    bias: rng.normalArray(c.n),
    residual: rng.normalArray(c.m * c.n),
  };
}

/** act(A·B·scale + bias) + residual in float64. */
function reference(
  c: Case,
  a: Float32Array,
  b: Float32Array,
  { bias, residual }: { bias: Float32Array; residual: Float32Array },
): Float64Array {
  const [scale, alpha] = [SCALE, ALPHA];
  const out = new Float64Array(c.m * c.n);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      for (let q = 0; q < c.k; q++) s += a[i * c.k + q]! * b[q * c.n + j]!;
      let y = s * scale + (c.bias ? bias[j]! : 0);
      if (c.activation === 'relu') y = Math.max(y, 0);
      if (c.activation === 'lrelu') y = y > 0 ? y : alpha * y;
      out[i * c.n + j] = y + (c.residual ? residual[i * c.n + j]! : 0);
    }
  }
  return out;
}

type Kernel = { tile: GemmTile } | 'matrix';

/** runGemm with an epilogue on one tile of the tiled kernel (no split), or the tensor-core one. */
async function epilogueGemm(c: Case, kernel: Kernel, seed: number) {
  await init({ backend: 'webgpu' });
  const data = caseData(c, seed);
  const { a, b, bias, residual } = data;
  // The tensor-core kernel multiplies f16-rounded operands (in f32): so does its reference.
  const half = kernel === 'matrix';
  const ref = reference(c, half ? roundToHalf(a) : a, half ? roundToHalf(b) : b, data);
  const [at, bt, biasT, resT] = [
    tf.tensor2d(a, [c.m, c.k]),
    tf.tensor2d(b, [c.k, c.n]),
    tf.tensor1d(bias),
    tf.tensor2d(residual, [c.m, c.n]),
  ];
  if (half) {
    setPrecision('mixed');
    emulateSubgroupMatrices({ subgroupSize: 32, tiles: [MATRIX_TILE] });
  }
  try {
    const plan =
      kernel === 'matrix'
        ? {}
        : {
            plan: { tile: kernel.tile, splits: 1, tilesPerSplit: Math.ceil(c.k / kernel.tile.bk) },
          };
    const info = runGemm(tf.backend() as unknown as WebGPUBackend, {
      problem: { m: c.m, n: c.n, k: c.k, batch: 1 },
      a: matrixOperand({
        buffer: 'a',
        prefix: 'a',
        rows: c.m,
        k: c.k,
        order: 'row-major',
        batches: 1,
      }),
      b: matrixOperand({
        buffer: 'b',
        prefix: 'b',
        rows: c.n,
        k: c.k,
        order: 'k-major',
        batches: 1,
      }),
      inputs: [at, bt],
      outputShape: [c.m, c.n],
      ...plan,
      epilogue: epilogueOf(c, biasT, resT),
    });
    return { got: await readInfo(info), ref };
  } finally {
    if (half) {
      emulateSubgroupMatrices(null);
      setPrecision('f32');
    }
    tf.dispose([at, bt, biasT, resT]);
  }
}

/**
 * The split-K reduction alone, on given partial sums [S, M, N] (the GEMM's partials are tested
 * per tile in batch-matmul.webgpu.test.ts): Σ_s partial[s], then the epilogue.
 */
async function epilogueReduce(c: Case, splits: number, seed: number) {
  await init({ backend: 'webgpu' });
  const data = caseData(c, seed);
  const partials = createRng(seed + 100).normalArray(splits * c.m * c.n);
  // The reference sees A·B = Σ_s partial[s] (A = the sums, B = identity, K = N).
  const sums = new Float32Array(c.m * c.n);
  for (let s = 0; s < splits; s++)
    for (let e = 0; e < c.m * c.n; e++) sums[e]! += partials[s * c.m * c.n + e]!;
  const eye = new Float32Array(c.n * c.n);
  for (let j = 0; j < c.n; j++) eye[j * c.n + j] = 1;
  const ref = reference({ ...c, k: c.n }, sums, eye, data);
  const [pt, biasT, resT] = [
    tf.tensor3d(partials, [splits, c.m, c.n]),
    tf.tensor1d(data.bias),
    tf.tensor2d(data.residual, [c.m, c.n]),
  ];
  const e = epilogueOf(c, biasT, resT);
  const reduce = new SplitKReduceProgram([c.m, c.n], splits, c.m * c.n, {
    spec: epilogueSpec(e),
    n: c.n,
  });
  const be = tf.backend() as unknown as WebGPUBackend;
  const inputs = [pt, ...[e.bias, e.residual].filter((t) => t !== null)] as tf.Tensor[];
  const info = be.runWebGPUProgram(
    reduce,
    inputs,
    'float32',
    reduce.uniformData(epilogueUniformData(e)),
  );
  tf.dispose([pt, biasT, resT]);
  return { got: await readInfo(info), ref, vector: reduce.outputComponent === 4 };
}

function epilogueOf(c: Case, bias: tf.Tensor, residual: tf.Tensor): GemmEpilogue {
  return {
    scale: SCALE,
    bias: c.bias ? bias : null,
    activation: c.activation,
    alpha: ALPHA,
    residual: c.residual ? residual : null,
  };
}

async function readInfo(info: tf.TensorInfo): Promise<Float32Array> {
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const got = (await out.data()) as Float32Array;
  out.dispose();
  return got;
}

/** 2×2 subgroups of 32 lanes, one 16×16 fragment each (as gemm-matrix.webgpu.test.ts). */
const MATRIX_TILE: MatrixTile = { bm: 32, bn: 32, bk: 32, sgM: 2, sgN: 2, efficiency: 1 };

const [BIG, THIN] = [GEMM_TILES[0]!, GEMM_TILES.find((t) => t.bn === 4)!];

describe('GEMM epilogue: act(A·B·scale + bias) + residual as C is stored', () => {
  it('tiled store, vec4 (N % 4 = 0), 128×128 tile, 261×16 · 16×264, leaky ReLU', async () => {
    expect([BIG.bm, BIG.bn, BIG.tm, BIG.tn]).toEqual([128, 128, 8, 8]);
    const c: Case = { m: 261, n: 264, k: 16, activation: 'lrelu', bias: true, residual: true };
    const { got, ref } = await epilogueGemm(c, { tile: BIG }, 1);
    expect(relativeMaxError(got, ref)).toBeLessThan(1e-5);
  });

  it('tiled store, scalar (odd N), 128×4 tile, 259×13 · 13×7, ReLU', async () => {
    const c: Case = { m: 259, n: 7, k: 13, activation: 'relu', bias: true, residual: true };
    const { got, ref } = await epilogueGemm(c, { tile: THIN }, 2);
    expect(relativeMaxError(got, ref)).toBeLessThan(1e-5);
  });

  it('split-K reduction: vec4 (N 264) and scalar (N 7, M·N % 4 = 0 but N % 4 ≠ 0), 3 splits', async () => {
    const vec: Case = { m: 5, n: 264, k: 0, activation: 'lrelu', bias: true, residual: true };
    const scalar: Case = { m: 4, n: 7, k: 0, activation: 'linear', bias: true, residual: true };
    const v = await epilogueReduce(vec, 3, 3);
    expect(v.vector).toBe(true);
    expect(relativeMaxError(v.got, v.ref)).toBeLessThan(1e-6);
    const s = await epilogueReduce(scalar, 3, 4);
    expect(s.vector).toBe(false);
    expect(relativeMaxError(s.got, s.ref)).toBeLessThan(1e-6);
  });

  it('tensor-core kernel copy-out (emulated subgroup matrices, f16 operands), vec4, relu', async () => {
    // Two blocks and a cut edge in M and N of the 32×32 tile.
    const c: Case = { m: 70, n: 68, k: 40, activation: 'relu', bias: true, residual: true };
    const { got, ref } = await epilogueGemm(c, 'matrix', 5);
    expect(relativeMaxError(got, ref)).toBeLessThan(1e-5);
  });
});
