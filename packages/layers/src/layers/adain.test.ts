import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { AdaIN } from './adain';

describeBackends('AdaIN', () => {
  it('output channel statistics are mean beta and std (1+gamma)*sqrt(var/(var+eps))', () => {
    // With a zero dense weight the styles are the dense bias: gamma = bias[:C], beta = bias[C:].
    const c = 3;
    const adain = new AdaIN({ channels: c, latentDim: 4, epsilon: 1e-3 });
    const gamma = [0.5, -0.25, 2];
    const beta = [1, -3, 0.5];
    adain.loadStateDict({
      'style.weight': tf.zeros([4, 2 * c]),
      'style.bias': tf.tensor1d([...gamma, ...beta]),
    });
    const x = tf.randomNormal([2, 6, 6, c], 0, 3, 'float32', 11) as tf.Tensor4D;
    const z = tf.randomNormal([2, 4], 0, 1, 'float32', 12) as tf.Tensor2D;
    const { mean: mx, variance: vx } = tf.moments(x, [1, 2]);
    const { mean, variance } = tf.moments(adain.forward(x, z), [1, 2]);
    const [m, v, varX] = [mean.dataSync(), variance.dataSync(), vx.dataSync()];
    for (let i = 0; i < 2 * c; i++) {
      const k = i % c;
      expect(m[i]).toBeCloseTo(beta[k]!, 4);
      expect(v[i]).toBeCloseTo((1 + gamma[k]!) ** 2 * (varX[i]! / (varX[i]! + 1e-3)), 3);
    }
    tf.dispose([x, z, mx, vx, mean, variance]);
    adain.dispose();
  });

  it('takes gamma from the first C and beta from the last C dense outputs, per sample', () => {
    const adain = new AdaIN({ channels: 1, latentDim: 2 });
    // style = z W * sqrt(2)/sqrt(2) = z W: gamma = z0, beta = z1.
    adain.loadStateDict({
      'style.weight': tf.tensor2d([1, 0, 0, 1], [2, 2]),
      'style.bias': tf.zeros([2]),
    });
    const x = tf.tensor4d([1, 3, 1, 3], [2, 1, 2, 1]); // IN(x) = [-1, 1] (up to eps) per sample
    const z = tf.tensor2d([0, 10, 1, -5], [2, 2]);
    const y = adain.forward(x, z).dataSync();
    const n = 1 / Math.sqrt(1 + 1e-3);
    [10 - n, 10 + n, -5 - 2 * n, -5 + 2 * n].forEach((v, i) => {
      expect(y[i]).toBeCloseTo(v, 5);
    });
    tf.dispose([x, z]);
    adain.dispose();
  });

  it('counts latentDim*2C + 2C parameters and checks its inputs', () => {
    expect(new AdaIN({ channels: 512, latentDim: 512 }).numParams()).toBe(512 * 1024 + 1024);
    const a = new AdaIN({ channels: 2, latentDim: 3 }).initialize(1);
    const x = tf.zeros([2, 2, 2, 2]) as tf.Tensor4D;
    const z = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => a.forward(x, z)).toThrow(/latent must be \[2, 3\], got \[1,3\]/);
    tf.dispose([x, z]);
    a.dispose();
  });

  it('has first-order and nested gradients matching finite differences', async () => {
    const adain = new AdaIN({ channels: 2, latentDim: 3 }).initialize(3);
    const x = randomVariable([2, 3, 3, 2]);
    const z = randomVariable([2, 3], 8);
    const s = checkScalars((t) => adain.forward(t as tf.Tensor4D, z as tf.Tensor2D), x);
    const vars = [x, z, ...adain.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, tolerance: 5e-3 });
    await checkGradient(s.nested, [], { variables: vars, tolerance: 1e-2 });
    s.dispose();
    tf.dispose([x, z]);
    adain.dispose();
  });

  it('leaks no tensors', async () => {
    const adain = new AdaIN({ channels: 2, latentDim: 3 }).initialize(3);
    const x = tf.randomNormal([1, 3, 3, 2]) as tf.Tensor4D;
    const z = tf.randomNormal([1, 3]) as tf.Tensor2D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(
          () => tf.sum(adain.forward(x, z)) as tf.Scalar,
          adain.trainableVariables(),
        );
      });
    });
    expect(leaked).toBe(0);
    tf.dispose([x, z]);
    adain.dispose();
  });
});
