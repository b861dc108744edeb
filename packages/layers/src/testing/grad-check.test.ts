import * as tf from '@tensorflow/tfjs-core';
import { describeBackends } from '@th/backend/test';
import { expect, it } from 'vitest';
import { checkScalars, directionalGradCheck, randomVariable } from './grad-check';

describeBackends('directionalGradCheck (test support)', () => {
  it('accepts a correct gradient and rejects a wrong first or second derivative', () => {
    const x = randomVariable([2, 3, 3, 1]);
    // f(t) = t^3 + t^2/2 with its gradient 3t^2 + t written three ways: correct; off by 10 %; and right
    // in value but computed from a copy the tape cannot see (like tfjs' pruned saved outputs),
    // so its own derivative is silently lost.
    type Variant = 'good' | 'scaled' | 'detached';
    const cube = (variant: Variant) =>
      tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const t = args[0] as tf.Tensor;
        const save = args[1] as tf.GradSaveFunc;
        save([t]);
        return {
          value: tf.add(tf.mul(tf.square(t), t), tf.mul(tf.square(t), 0.5)),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const s =
              variant === 'detached' ? tf.tensor(saved[0]!.dataSync(), saved[0]!.shape) : saved[0]!;
            const g = tf.add(tf.mul(tf.square(s), variant === 'scaled' ? 3.3 : 3), saved[0]!);
            return tf.mul(dy, g);
          },
        };
      });
    const scalars = (variant: Variant) => checkScalars((t) => cube(variant)(t) as tf.Tensor, x);
    const [good, scaled, detached] = [scalars('good'), scalars('scaled'), scalars('detached')];
    expect(directionalGradCheck(good.first, [x]).relError).toBeLessThan(5e-3);
    expect(directionalGradCheck(good.nested, [x]).relError).toBeLessThan(5e-3);
    expect(directionalGradCheck(scaled.first, [x]).relError).toBeGreaterThan(0.05);
    expect(directionalGradCheck(detached.first, [x]).relError).toBeLessThan(5e-3);
    expect(directionalGradCheck(detached.nested, [x]).relError).toBeGreaterThan(0.05);
    for (const s of [good, scaled, detached]) s.dispose();
    x.dispose();
  });
});
