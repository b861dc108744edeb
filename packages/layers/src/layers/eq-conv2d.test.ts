import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { EqConv2d } from './eq-conv2d';

/** Direct-loop NHWC convolution, stride 1, symmetric zero padding (odd kernel): the reference. */
function naiveConv(x: tf.Tensor4D, w: Float32Array, k: number, cout: number): Float32Array {
  const [n, h, wd, cin] = x.shape;
  const xs = x.dataSync();
  const out = new Float32Array(n * h * wd * cout);
  const r = (k - 1) / 2;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++)
        for (let o = 0; o < cout; o++) {
          let s = 0;
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++) {
              const y = i + di - r;
              const xx = j + dj - r;
              if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
              for (let c = 0; c < cin; c++) {
                s +=
                  xs[((b * h + y) * wd + xx) * cin + c]! * w[((di * k + dj) * cin + c) * cout + o]!;
              }
            }
          out[((b * h + i) * wd + j) * cout + o] = s;
        }
  return out;
}

describeBackends('EqConv2d', () => {
  it('equals a plain zero-padded conv with the kernel scaled by gain/sqrt(fan_in), plus bias', () => {
    const conv = new EqConv2d({
      inChannels: 3,
      outChannels: 2,
      kernelSize: 3,
      gain: 1.5,
    }).initialize(4);
    const bias = tf.tensor1d([0.25, -1]);
    conv.loadStateDict({ weight: conv.weight.value, bias });
    const x = tf.randomNormal([2, 4, 5, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const scale = 1.5 / Math.sqrt(3 * 3 * 3);
    const w = Float32Array.from(conv.weight.value.dataSync(), (v) => v * scale);
    const expected = naiveConv(x, w, 3, 2).map((v, i) => v + (i % 2 === 0 ? 0.25 : -1));
    const y = conv.forward(x);
    expect(y.shape).toEqual([2, 4, 5, 2]);
    const got = y.dataSync();
    for (const [i, v] of expected.entries()) expect(got[i]).toBeCloseTo(v, 4);
    tf.dispose([x, y, bias]);
    conv.dispose();
  });

  it('gives the same effective weights for any lr multiplier (stored std 1/lr, scale x lr)', () => {
    const a = new EqConv2d({ inChannels: 2, outChannels: 2, kernelSize: 1 }).initialize(1);
    const b = new EqConv2d({
      inChannels: 2,
      outChannels: 2,
      kernelSize: 1,
      lrMultiplier: 0.01,
    }).initialize(1);
    const x = tf.ones([1, 1, 1, 2]) as tf.Tensor4D;
    const ya = a.forward(x).dataSync();
    const yb = b.forward(x).dataSync();
    for (const [i, v] of ya.entries()) expect(yb[i]).toBeCloseTo(v, 5);
    expect(Math.abs(b.weight.value.dataSync()[0]!)).toBeCloseTo(
      100 * Math.abs(a.weight.value.dataSync()[0]!),
      2,
    );
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('counts k*k*Cin*Cout (+Cout bias) parameters', () => {
    expect(new EqConv2d({ inChannels: 6, outChannels: 32, kernelSize: 7 }).numParams()).toBe(
      7 * 7 * 6 * 32 + 32,
    );
    expect(
      new EqConv2d({ inChannels: 5, outChannels: 4, kernelSize: 1, bias: false }).numParams(),
    ).toBe(20);
  });

  it('rejects bad options and inputs with clear errors', () => {
    expect(() => new EqConv2d({ inChannels: 3, outChannels: 2, kernelSize: 2 })).toThrow(
      /kernelSize must be odd/,
    );
    expect(() => new EqConv2d({ inChannels: 0, outChannels: 2, kernelSize: 3 })).toThrow(
      /inChannels must be a positive integer/,
    );
    const conv = new EqConv2d({ inChannels: 3, outChannels: 2, kernelSize: 3 }).initialize(1);
    const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() => conv.forward(x)).toThrow(
      /expected NHWC input with 3 channels, got shape \[1,4,4,2\]/,
    );
    tf.dispose(x);
    conv.dispose();
  });

  it('has first-order and nested gradients matching finite differences (input and weights)', async () => {
    const conv = new EqConv2d({ inChannels: 2, outChannels: 3, kernelSize: 3 }).initialize(2);
    conv.loadStateDict({ weight: conv.weight.value, bias: tf.tensor1d([0.1, -0.2, 0.3]) });
    const x = randomVariable([1, 4, 4, 2]);
    // A smooth nonlinearity after the (linear) conv makes the nested check non-trivial.
    const s = checkScalars((t) => tf.square(conv.forward(t as tf.Tensor4D)), x);
    const vars = [x, ...conv.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, tolerance: 5e-3 });
    await checkGradient(s.nested, [], { variables: vars, tolerance: 5e-3 });
    s.dispose();
    x.dispose();
    conv.dispose();
  });

  it('leaks no tensors across forward/backward passes', async () => {
    const conv = new EqConv2d({ inChannels: 2, outChannels: 2, kernelSize: 3 }).initialize(1);
    const x = tf.ones([1, 3, 3, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => tf.sum(conv.forward(x)) as tf.Scalar, conv.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    tf.dispose(x);
    conv.dispose();
  });
});
