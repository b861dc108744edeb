import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { runGemm } from './gemm-program';
import { GEMM_TILES } from './gemm-tiles';
import { countingFallbacks, maxAbs, outputsOn, relativeMaxError } from './kernel-check';
import { matrixOperand } from './matrix-operand';

interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * tf.matMul as dense layers and their gradients call it (x·W, dy·Wᵀ, xᵀ·dy), batched and
 * broadcast products, odd sizes (scalar loads and stores) and a long-K product (split-K).
 */
const CASES: Case[] = [
  { name: 'dense forward 4x40 · 40x24', a: [4, 40], b: [40, 24] },
  { name: 'input gradient dy · Wᵀ (transposeB)', a: [4, 24], b: [40, 24], transposeB: true },
  { name: 'weight gradient xᵀ · dy (transposeA)', a: [4, 40], b: [4, 24], transposeA: true },
  { name: 'both transposed, odd sizes', a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { name: 'odd sizes 37x13 · 13x11', a: [37, 13], b: [13, 11] },
  { name: 'batched 3x6x8 · 3x8x4', a: [3, 6, 8], b: [3, 8, 4] },
  { name: 'broadcast 2x3x5x8 · 8x12', a: [2, 3, 5, 8], b: [8, 12] },
  { name: 'long K (split-K) 3x2048 · 2048x8', a: [3, 2048], b: [2048, 8] },
  { name: 'single row 1x64 · 64x1', a: [1, 64], b: [64, 1] },
];

const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

describe('@th WGSL BatchMatMul equals the cpu backend', () => {
  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const rng = createRng(500 + index);
      const a = rng.normalArray(size(c.a));
      const b = rng.normalArray(size(c.b));
      const run = () =>
        tf.tidy(() => [
          tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.transposeA, c.transposeB),
        ]);
      const cpu = await outputsOn('cpu', run);
      const { result: gpu, fallbackCalls } = await countingFallbacks(['BatchMatMul'], () =>
        outputsOn('webgpu', run),
      );
      expect(fallbackCalls).toBe(0);
      expect(gpu.shapes).toEqual(cpu.shapes);
      expect(relativeMaxError(gpu.values[0]!, cpu.values[0]!)).toBeLessThan(1e-5);
      expect(maxAbs(cpu.values[0]!)).toBeGreaterThan(0.5);
    });
  }

  it('int32 products fall back to tfjs-webgpu and stay exact', async () => {
    const run = () =>
      tf.tidy(() => [
        tf.cast(
          tf.matMul(
            tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'),
            tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32'),
          ),
          'float32',
        ),
      ]);
    const { result, fallbackCalls } = await countingFallbacks(['BatchMatMul'], () =>
      outputsOn('webgpu', run),
    );
    expect(fallbackCalls).toBe(1);
    expect(Array.from(result.values[0]!)).toEqual([19, 22, 43, 50]);
  });
});

describe('every GEMM tile computes the same product', () => {
  // Larger than every tile in M and N (2 full blocks and a cut edge), so each thread's every
  // row and column group is stored: a 37×13·13×11 case alone missed a store bug of BN = 128
  // tiles that put columns ≥ 68 astray. Odd sizes take scalar loads and stores, multiples of 4
  // the vec4 paths; split in 2 along K to run the reduction pass as well.
  const cases = [
    { name: 'scalar operands and stores, 261×13 · 13×259', m: 261, k: 13, n: 259 },
    { name: 'vec4 operands and stores, 260×16 · 16×264', m: 260, k: 16, n: 264 },
  ];
  for (const { name, m, k, n } of cases) {
    it(`all tiles, ${name}, split-K 2`, async () => {
      await init({ backend: 'webgpu' });
      const rng = createRng(77);
      const a = rng.normalArray(m * k);
      const b = rng.normalArray(k * n);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let q = 0; q < k; q++)
          for (let j = 0; j < n; j++) ref[i * n + j]! += a[i * k + q]! * b[q * n + j]!;
      const at = tf.tensor2d(a, [m, k]);
      const bt = tf.tensor2d(b, [k, n]);
      for (const tile of GEMM_TILES) {
        const steps = Math.ceil(k / tile.bk);
        const perSplit = Math.ceil(steps / 2);
        const info = runGemm(tf.backend() as unknown as WebGPUBackend, {
          problem: { m, n, k, batch: 1 },
          a: matrixOperand({
            buffer: 'a',
            prefix: 'a',
            rows: m,
            k,
            order: 'row-major',
            batches: 1,
          }),
          b: matrixOperand({ buffer: 'b', prefix: 'b', rows: n, k, order: 'k-major', batches: 1 }),
          inputs: [at, bt],
          outputShape: [m, n],
          plan: { tile, splits: Math.ceil(steps / perSplit), tilesPerSplit: perSplit },
        });
        const out = tf.engine().makeTensorFromTensorInfo(info);
        const got = await out.data();
        out.dispose();
        const err = relativeMaxError(got, ref);
        expect(err, `tile ${tile.bm}x${tile.bn}x${tile.bk}: ${err}`).toBeLessThan(1e-5);
      }
      tf.dispose([at, bt]);
    });
  }
});
