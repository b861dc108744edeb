import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { createRng } from '../util/rng';
import { binomialRow } from './binomial';
import { type BlurPadding, blurPool } from './blur-pool';
import { stridedBlur, stridedBlurAdjoint } from './strided-blur';

/** Independent reference: explicit loops over NHWC with the padding rule written out. */
function naiveBlurPool(
  x: Float32Array,
  [n, h, w, c]: [number, number, number, number],
  f: number,
  s: number,
  pad: [number, number, number, number],
  reflect: boolean,
) {
  const row = binomialRow(f);
  const norm = row.reduce((a, b) => a + b, 0) ** 2;
  const [top, bottom, left, right] = pad;
  const ho = Math.floor((h + top + bottom - f) / s) + 1;
  const wo = Math.floor((w + left + right - f) / s) + 1;
  const out = new Float32Array(n * ho * wo * c);
  const at = (b: number, i: number, j: number, ch: number): number => {
    if (reflect) {
      i = i < 0 ? -i : i >= h ? 2 * (h - 1) - i : i;
      j = j < 0 ? -j : j >= w ? 2 * (w - 1) - j : j;
    } else if (i < 0 || i >= h || j < 0 || j >= w) return 0;
    return x[((b * h + i) * w + j) * c + ch] as number;
  };
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let u = 0; u < f; u++)
            for (let v = 0; v < f; v++)
              acc +=
                (row[u] as number) *
                (row[v] as number) *
                at(b, i * s + u - top, j * s + v - left, ch);
          out[((b * ho + i) * wo + j) * c + ch] = acc / norm;
        }
  return { values: out, shape: [n, ho, wo, c] };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describeBackends('blurPool', () => {
  const rng = createRng(3);
  const input = (shape: number[]) =>
    tf.tensor4d(
      rng.normalArray(shape.reduce((a, b) => a * b)),
      shape as [number, number, number, number],
    );

  it('LSR default (f3, same, s2): pads 0/1 on even and 1/1 on odd sizes, output ceil(H/2)', async () => {
    for (const [h, w] of [
      [8, 6],
      [7, 7],
      [7, 4],
    ] as const) {
      const x = input([2, h, w, 3]);
      const y = blurPool(x);
      const pad: [number, number, number, number] = [h % 2, 1, w % 2, 1];
      const ref = naiveBlurPool(
        (await x.data()) as Float32Array,
        x.shape as [number, number, number, number],
        3,
        2,
        pad,
        false,
      );
      expect(y.shape).toEqual([2, Math.ceil(h / 2), Math.ceil(w / 2), 3]);
      expect(ref.shape).toEqual(y.shape);
      const got = await y.data();
      expect(maxAbsDiff(got, ref.values)).toBeLessThan(1e-5);
      tf.dispose([x, y]);
    }
  });

  it("'same' equals TF SAME depthwiseConv2d for every size and stride", async () => {
    for (const [f, s] of [
      [1, 2],
      [2, 2],
      [4, 2],
      [5, 3],
      [7, 2],
    ] as const) {
      const x = input([1, 9, 8, 2]);
      const row = binomialRow(f);
      const k1 = tf.tensor1d(row.map((r) => r / row.reduce((a, b) => a + b, 0)));
      const k = tf.tile(
        tf.reshape(tf.mul(tf.reshape(k1, [f, 1]), tf.reshape(k1, [1, f])), [f, f, 1, 1]),
        [1, 1, 2, 1],
      ) as tf.Tensor4D;
      const expected = tf.depthwiseConv2d(x, k, s, 'same');
      const y = blurPool(x, { filterSize: f, stride: s });
      expect(y.shape).toEqual(expected.shape);
      const [a, b] = [await y.data(), await expected.data()];
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
      tf.dispose([x, k1, k, expected, y]);
    }
  });

  it("'reflect' and 'zero' follow antialiased-cnns padding floor((f-1)/2) / ceil((f-1)/2)", async () => {
    for (const [f, mode] of [
      [3, 'reflect'],
      [4, 'reflect'],
      [7, 'reflect'],
      [4, 'zero'],
      [5, 'zero'],
    ] as [number, BlurPadding][]) {
      const x = input([1, 9, 8, 2]);
      const before = Math.floor((f - 1) / 2);
      const after = Math.ceil((f - 1) / 2);
      const ref = naiveBlurPool(
        (await x.data()) as Float32Array,
        x.shape,
        f,
        2,
        [before, after, before, after],
        mode === 'reflect',
      );
      const y = blurPool(x, { filterSize: f, padding: mode });
      expect(y.shape).toEqual(ref.shape);
      const got = await y.data();
      expect(maxAbsDiff(got, ref.values)).toBeLessThan(1e-5);
      tf.dispose([x, y]);
    }
  });

  it('the backward op is the exact adjoint: <B x, g> = <x, B^T g>', async () => {
    for (const geo of [
      { size: 3, stride: 2, top: 0, bottom: 1, left: 1, right: 1 },
      { size: 5, stride: 3, top: 2, bottom: 2, left: 0, right: 0 },
      { size: 2, stride: 1, top: 0, bottom: 1, left: 0, right: 1 },
    ]) {
      const x = input([2, 7, 6, 2]);
      const bx = stridedBlur(x, geo);
      const g = input(bx.shape);
      const btg = stridedBlurAdjoint(g, geo, 7, 6);
      expect(btg.shape).toEqual(x.shape);
      const lhs = (await tf.sum(tf.mul(bx, g)).data())[0] as number;
      const rhs = (await tf.sum(tf.mul(x, btg)).data())[0] as number;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      tf.dispose([x, bx, g, btg]);
    }
  });

  it('is leak-free and rejects bad input with clear errors', () => {
    const x = input([1, 4, 4, 1]);
    const before = tf.memory().numTensors;
    tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(blurPool(t as tf.Tensor4D)))(x));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => blurPool(x, { filterSize: 8 })).toThrow(
      /filterSize must be an integer in 1..7, got 8/,
    );
    expect(() => blurPool(x, { stride: 0 })).toThrow(/stride must be an integer >= 1/);
    expect(() => blurPool(x, { padding: 'wrap' as BlurPadding })).toThrow(
      /padding must be 'same', 'reflect' or 'zero'/,
    );
    expect(() => blurPool(tf.zeros([4, 4]) as unknown as tf.Tensor4D)).toThrow(/rank-4 NHWC/);
    expect(() =>
      blurPool(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, { filterSize: 5, padding: 'reflect' }),
    ).toThrow(/needs H and W > 2/);
    x.dispose();
  });
});
