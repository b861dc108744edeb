import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../../ops/activations';
import { withBackend } from '../../with-backend';
import { captureGraph } from './capture';
import { instanceNormFused } from './fused-ops';

// WebGPU (lavapipe on CPU-only machines): a captured graph replays exactly what eager tfjs
// computes, for new input values, and refuses to run once a weight it reads is gone.

describe('captureGraph [webgpu]', () => {
  it('replays a conv + AdaIN + leaky ReLU network for new inputs, equal to eager', async () => {
    await withBackend('webgpu', async () => {
      const w1 = tf.variable(
        tf.randomNormal([3, 3, 3, 8], 0, 0.5, 'float32', 1),
      ) as tf.Variable<tf.Rank.R4>;
      const w2 = tf.variable(
        tf.randomNormal([3, 3, 8, 3], 0, 0.5, 'float32', 2),
        true,
        'w2-capture',
      ) as tf.Variable<tf.Rank.R4>;
      const dense = tf.variable(
        tf.randomNormal([6, 16], 0, 0.5, 'float32', 3),
      ) as tf.Variable<tf.Rank.R2>;
      const net = ([x, z]: tf.Tensor[]) => {
        const style = tf.reshape(tf.matMul(z as tf.Tensor2D, dense), [2, 1, 1, 16]);
        const [g, b] = tf.split(style, 2, 3);
        let h = tf.conv2d(x as tf.Tensor4D, w1, 1, 'same');
        h = instanceNormFused(h, 1e-3, g!, b!)!;
        h = leakyRelu(tf.mul(h, 0.7), 0.2) as tf.Tensor4D;
        return [tf.conv2d(h, w2, 1, 'same'), tf.sum(h)];
      };
      const make = (seed: number) => [
        tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', seed),
        tf.randomNormal([2, 6], 0, 1, 'float32', seed + 1),
      ];
      const graph = captureGraph(net, make(10))!;
      expect(graph).not.toBeNull();
      expect(graph.kernelCount).toBeGreaterThan(5);
      const firstOut: number[][] = [];
      for (const seed of [20, 30, 40]) {
        const inputs = make(seed);
        const eager = tf.tidy(() => net(inputs));
        const replayed = graph.run(inputs);
        for (const [i, e] of eager.entries()) {
          const a = await replayed[i]!.data();
          const b = await e.data();
          expect(a.length).toBe(b.length);
          let worst = 0;
          for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
          expect(worst).toBeLessThan(1e-5 * Math.max(1, ...Array.from(b, Math.abs)));
          if (seed === 20) firstOut.push(Array.from(a));
        }
        // Results of an earlier replay are the caller's: later replays must not overwrite them.
        if (seed === 40) expect(firstOut[0]!.length).toBeGreaterThan(0);
        tf.dispose([...inputs, ...eager, ...replayed]);
      }
      const before = tf.memory().numTensors;
      const again = make(50);
      tf.dispose(graph.run(again));
      tf.dispose(again);
      expect(tf.memory().numTensors).toBe(before);
      expect(() => graph.run([tf.zeros([1, 9, 7, 3]), tf.zeros([2, 6])])).toThrow(
        /input 0 is float32 \[1,9,7,3\]/,
      );
      w2.assign(tf.zerosLike(w2));
      expect(() => graph.run(make(60))).toThrow(
        /variable "w2.*" was disposed or reassigned since capture/,
      );
      graph.dispose();
      tf.dispose([w1, w2, dense]);
    });
  });
});
