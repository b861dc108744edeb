import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../../ops/activations';
import { withBackend } from '../../with-backend';
import { captureGraph } from './capture';
import { instanceNormFused } from './fused-ops';

// WebGPU (lavapipe on CPU-only machines): a captured graph replays exactly what eager tfjs
// computes, for new input values, and refuses to run once a weight it reads is gone.

/** Largest |a − b| over two tensors' values, and the largest |b|. */
async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<{ diff: number; scale: number }> {
  const x = await a.data();
  const y = await b.data();
  expect(x.length).toBe(y.length);
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < y.length; k++) {
    diff = Math.max(diff, Math.abs(x[k]! - y[k]!));
    scale = Math.max(scale, Math.abs(y[k]!));
  }
  return { diff, scale };
}

/** Capture `net`, replay it on each input set, and expect the eager result every time. */
async function expectReplayEqualsEager(
  net: (inputs: tf.Tensor[]) => tf.Tensor[],
  example: tf.Tensor[],
  inputSets: tf.Tensor[][],
): Promise<void> {
  const graph = captureGraph(net, example)!;
  expect(graph).not.toBeNull();
  for (const inputs of inputSets) {
    const eager = tf.tidy(() => net(inputs));
    const replayed = graph.run(inputs);
    for (const [i, e] of eager.entries()) {
      const { diff, scale } = await maxDiff(replayed[i]!, e);
      expect(scale).toBeGreaterThan(0.1); // a real output, not zeros on both sides
      expect(diff).toBeLessThanOrEqual(1e-6 * Math.max(1, scale));
    }
    tf.dispose([...eager, ...replayed]);
  }
  graph.dispose();
}

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

  it('replays values uploaded during capture into buffers it used before (per-call constants)', async () => {
    await withBackend('webgpu', async () => {
      // More kernels than the runtime encodes per submit: the loop's freed intermediates go back
      // to tfjs' pool at a submit, and the per-call constant below (uploaded from the CPU by
      // queue.writeBuffer, no recorded command) lands in one of their buffers. Each replay runs
      // the loop again, overwriting it, so the upload must be replayed in its place too.
      const steps = 80;
      const net = ([x]: tf.Tensor[]) => {
        let h = tf.mul(x!, 1);
        for (let i = 0; i < steps; i++) {
          const next = tf.add(h, 0.01);
          h.dispose();
          h = next;
        }
        const offsets = tf.tensor2d(
          Array.from({ length: 16 }, (_, k) => k - 7.5),
          [4, 4],
        );
        return [tf.mul(tf.add(h, offsets), 2)];
      };
      const make = (seed: number) => [tf.randomNormal([4, 4], 0, 1, 'float32', seed)];
      const sets = [make(2), make(3)];
      // Inputs on the GPU, like a network's activations.
      const onGpu = (ts: tf.Tensor[]) => ts.map((t) => tf.tidy(() => tf.add(t, tf.zerosLike(t))));
      await expectReplayEqualsEager(net, onGpu(make(1)), sets.map(onGpu));
    });
  });

  it('replays ops on small inputs that tfjs would run on the CPU, for new input values', async () => {
    await withBackend('webgpu', async () => {
      // A small tensor made from JavaScript values lives on the CPU until a GPU kernel needs it,
      // and tfjs-webgpu runs small element-wise ops whose inputs are all on the CPU there
      // (WEBGPU_CPU_FORWARD): the capture must not bake the example's values in.
      const w = tf.variable(tf.randomNormal([6, 5], 0, 0.5, 'float32', 4));
      const net = ([z]: tf.Tensor[]) => [tf.matMul(tf.mul(tf.add(z!, 1), 3) as tf.Tensor2D, w)];
      const make = (seed: number) => [
        tf.tensor2d(Array.from(tf.randomNormal([2, 6], 0, 1, 'float32', seed).dataSync()), [2, 6]),
      ];
      await expectReplayEqualsEager(net, make(1), [make(2), make(3)]);
      w.dispose();
    });
  });

  it('checks small weights that tfjs would read on the CPU, so a reassigned one is noticed', async () => {
    await withBackend('webgpu', async () => {
      // A small variable that no GPU kernel has read yet has its values on the CPU only, and
      // tfjs-webgpu would run `mul(w, 2)` there: its result would enter the graph as a
      // constant, with no buffer of `w` for `run` to check.
      const w = tf.variable(tf.tensor1d([0.5, -1, 2, 3]), true, 'w-small-capture');
      const net = ([x]: tf.Tensor[]) => [tf.add(x!, tf.mul(w, 2))];
      const make = (seed: number) => [
        tf.tidy(() => tf.add(tf.randomNormal([3, 4], 0, 1, 'float32', seed), 0)),
      ];
      const graph = captureGraph(net, make(1))!;
      const inputs = make(2);
      const eager = tf.tidy(() => net(inputs));
      const replayed = graph.run(inputs);
      expect((await maxDiff(replayed[0]!, eager[0]!)).diff).toBeLessThanOrEqual(1e-6);
      w.assign(tf.tensor1d([1, 1, 1, 1]));
      expect(() => graph.run(inputs)).toThrow(
        /variable "w-small-capture" was disposed or reassigned since capture/,
      );
      tf.dispose([...inputs, ...eager, ...replayed, w]);
      graph.dispose();
    });
  });

  it('refuses a function that reads GPU values back (its result would depend on the example)', async () => {
    await withBackend('webgpu', async () => {
      const before = tf.memory().numTensors;
      const net = ([x]: tf.Tensor[]) => {
        const positive = tf.sum(x!).dataSync()[0]! > 0;
        return [positive ? tf.mul(x!, 2) : tf.neg(x!)];
      };
      const x = tf.tidy(() => tf.add(tf.randomNormal([8, 8], 0, 1, 'float32', 5), 0));
      expect(() => captureGraph(net, [x])).toThrow(/captureGraph: the function used a read-back/);
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
