import * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import type { Discriminator } from '../losses/adversarial';

/**
 * The model's D as the losses' `Discriminator` (one [N,H,W,6] input = image ⊕ landmarks, spec
 * docs/design.md#discriminator). The losses concatenate, the model wants the two halves: slicing is
 * second-order safe.
 */
export function discriminatorOf(model: LsrModel): Discriminator {
  const d = model.discriminator;
  if (!d)
    throw new Error(
      'this step needs the discriminator: build LsrModel with { discriminator: true }',
    );
  return (x) =>
    d.forward(
      tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 3]) as tf.Tensor4D,
      tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 3]) as tf.Tensor4D,
    );
}
