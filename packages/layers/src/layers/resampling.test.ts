import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { AvgPool2, BlurPool, LeakyReLU, UpsampleBilinear2x } from './resampling';

const constant = (h: number, w: number, value: number) =>
  tf.fill([1, h, w, 2], value) as tf.Tensor4D;

describeBackends('resampling layers', () => {
  it("BlurPool (LSR [1,2,1], 'same'): constant image stays constant inside, 3/4 and 9/16 at padded edges", () => {
    // Even size: TF SAME pads 0 before and 1 after, so only the last row/column sees one zero
    // tap of weight 1/4 per axis.
    const even = new BlurPool().forward(constant(6, 4, 2)).arraySync()[0]!;
    expect(even.length).toBe(3);
    expect(even[0]!.length).toBe(2);
    const expectedEven = [
      [2, 1.5],
      [2, 1.5],
      [1.5, 1.125],
    ];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        expect(even[i]![j]![0]).toBeCloseTo(expectedEven[i]![j]!, 6);
        expect(even[i]![j]![1]).toBeCloseTo(expectedEven[i]![j]!, 6);
      }
    // Odd size 7: pads 1/1, output 4; first and last rows lose 1/4.
    const odd = new BlurPool().forward(constant(7, 7, 1)).arraySync()[0]!;
    const edge = [0.75, 1, 1, 0.75];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(odd[i]![j]![0]).toBeCloseTo(edge[i]! * edge[j]!, 6);
  });

  it('BlurPool antialiased-cnns variants: reflect keeps a constant image constant everywhere', () => {
    for (const filterSize of [1, 2, 4, 5, 7]) {
      const y = new BlurPool({ filterSize, padding: 'reflect' }).forward(constant(8, 8, 3));
      expect(y.shape).toEqual([1, 4, 4, 2]);
      for (const v of y.dataSync()) expect(v).toBeCloseTo(3, 5);
    }
    expect(() => new BlurPool({ filterSize: 8 })).toThrow(
      /filterSize must be an integer in 1\.\.7/,
    );
  });

  it('AvgPool2 is the 2x2 block mean, VALID (7 -> 3)', () => {
    const x = tf.tensor4d(
      Array.from({ length: 49 }, (_, i) => i),
      [1, 7, 7, 1],
    );
    const y = new AvgPool2().forward(x).arraySync()[0]!;
    expect(y.length).toBe(3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const tl = 2 * i * 7 + 2 * j;
        expect(y[i]![j]![0]).toBeCloseTo((tl + tl + 1 + tl + 7 + tl + 8) / 4, 5);
      }
  });

  it('UpsampleBilinear2x matches tf.image.resizeBilinear(x, [2H, 2W], false, true)', () => {
    const x = tf.randomNormal([2, 3, 5, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = new UpsampleBilinear2x().forward(x).dataSync();
    const ref = tf.image.resizeBilinear(x, [6, 10], false, true).dataSync();
    expect(y.length).toBe(ref.length);
    for (const [i, v] of ref.entries()) expect(y[i]).toBeCloseTo(v, 5);
  });

  it('LeakyReLU is max(x, alpha x)', () => {
    const x = tf.tensor4d([-2, -0.5, 0, 3], [1, 1, 4, 1]);
    expect(Array.from(new LeakyReLU().forward(x).dataSync())).toEqual(
      [-2, -0.5, 0, 3].map((v) => Math.max(v, 0.2 * v)).map((v) => Math.fround(v)),
    );
    expect(() => new LeakyReLU(1.5)).toThrow(/alpha must be in \[0, 1\)/);
  });

  const layers = {
    blurSame: new BlurPool(),
    blurReflect5: new BlurPool({ filterSize: 5, padding: 'reflect' }),
    avgPool2: new AvgPool2(),
    upsample: new UpsampleBilinear2x(),
    leakyRelu: new LeakyReLU(),
  };
  for (const [name, layer] of Object.entries(layers)) {
    it(`${name}: first-order and nested gradients match finite differences`, async () => {
      const x = randomVariable([1, 6, 6, 2]);
      // Squaring after the (linear / piecewise-linear) op makes the nested derivative non-zero.
      const s = checkScalars((t) => tf.square(layer.forward(t as tf.Tensor4D)), x);
      await checkGradient(s.first, [], { variables: [x], tolerance: 5e-3 });
      await checkGradient(s.nested, [], { variables: [x], tolerance: 1e-2 });
      s.dispose();
      x.dispose();
    });
  }

  it('leaks no tensors through forward and backward', async () => {
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        for (const layer of Object.values(layers)) {
          tf.grad((t: tf.Tensor) => tf.sum(tf.square(layer.forward(t as tf.Tensor4D))))(x);
        }
      });
    });
    expect(leaked).toBe(0);
    x.dispose();
  });
});
