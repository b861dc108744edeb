import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from './describe-backends';
import { checkGradient } from './gradient-check';
import { checkScalars, randomVariable } from './probe-scalars';

describeBackends('checkScalars: first-order and R1-form probes of a layer', () => {
  it('accept a correct gradient and reject a wrong first or second derivative', async () => {
    const x = randomVariable([2, 3, 3, 1]);
    // f(t) = t^3 + t^2/2 with its gradient 3t^2 + t written three ways: correct; off by 10 %;
    // and right in value but computed from a copy the tape cannot see (like tfjs' pruned saved
    // outputs), so its own derivative is silently lost.
    type Variant = 'good' | 'scaled' | 'detached';
    const cube = (variant: Variant) =>
      tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const t = args[0] as tf.Tensor;
        (args[1] as tf.GradSaveFunc)([t]);
        return {
          value: tf.add(tf.mul(tf.square(t), t), tf.mul(tf.square(t), 0.5)),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const s = saved[0] as tf.Tensor;
            const base = variant === 'detached' ? tf.tensor(s.dataSync(), s.shape) : s;
            return tf.mul(dy, tf.add(tf.mul(tf.square(base), variant === 'scaled' ? 3.3 : 3), s));
          },
        };
      });
    const scalars = (variant: Variant) => checkScalars((t) => cube(variant)(t) as tf.Tensor, x);
    const [good, scaled, detached] = [scalars('good'), scalars('scaled'), scalars('detached')];
    const error = async (s: () => tf.Scalar) =>
      (await checkGradient(s, [], { variables: [x] })).relError;
    expect(await error(good.first)).toBeLessThan(1e-4);
    expect(await error(good.nested)).toBeLessThan(1e-4);
    expect(await error(scaled.first)).toBeGreaterThan(0.05);
    expect(await error(detached.first)).toBeLessThan(1e-4);
    expect(await error(detached.nested)).toBeGreaterThan(0.05);
    for (const s of [good, scaled, detached]) s.dispose();
    x.dispose();
  });

  it('randomVariable is reproducible from its seed and N(0,1)-scaled', () => {
    const [a, b, c] = [
      randomVariable([400], 5),
      randomVariable([400], 5),
      randomVariable([400], 6),
    ];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    const values = Array.from(a.dataSync());
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.85);
    expect(std).toBeLessThan(1.15);
    tf.dispose([a, b, c]);
  });
});
