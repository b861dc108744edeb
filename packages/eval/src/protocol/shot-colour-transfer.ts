import * as tf from '@tensorflow/tfjs-core';

/** How much of a colour change made to a subject's shots reaches the model's output. */
export interface ShotColourTransfer {
  /** Change of the shots' mean colour (R, G, B on the [−1, 1] scale): red and blue swapped. */
  shotShift: [number, number, number];
  /** Change of the output's mean colour, rendered from the changed shots instead of the originals. */
  outputShift: [number, number, number];
  /**
   * outputShift projected on shotShift, over |shotShift|²: 1 when the output's colour follows the
   * shots' (as the source-mean baseline's does by construction), 0 when the output ignores them.
   */
  transfer: number;
}

/** Mean colour of images [..., 3]. */
async function meanColour(images: tf.Tensor): Promise<[number, number, number]> {
  const m = tf.tidy(() => tf.mean(tf.reshape(images, [-1, 3]), 0));
  const [r, g, b] = await m.data();
  m.dispose();
  return [r!, g!, b!];
}

/**
 * Does a model read its shots' colours? `render(shots)` renders the same driving frames from the
 * given shots [1, K, R, R, 3] (in [−1, 1]); it runs once with the shots as they are and once with
 * their red and blue channels swapped (a colour change that keeps brightness and structure).
 * A model trained on few identities can learn each person's colours by heart and ignore its
 * shots: a transfer near 0 says so (docs/design.md#training-examples, `data.colorJitter`).
 */
export async function shotColourTransfer(
  render: (shots: tf.Tensor5D) => tf.Tensor4D,
  shots: tf.Tensor5D,
): Promise<ShotColourTransfer> {
  // Swapping red and blue swaps the mean's red and blue: no second read of the shots needed.
  const [r, , b] = await meanColour(shots);
  const shotShift: [number, number, number] = [b - r, 0, r - b];
  const norm2 = 2 * (b - r) ** 2;
  if (!(norm2 > 0))
    throw new Error(
      'shotColourTransfer: the shots have equal red and blue means; swapping changes nothing',
    );
  const swapped = tf.tidy(() => tf.reverse(shots, -1)) as tf.Tensor5D;
  const a = render(shots);
  const bs = render(swapped);
  const [oa, ob] = await Promise.all([meanColour(a), meanColour(bs)]);
  tf.dispose([swapped, a, bs]);
  const outputShift = [0, 1, 2].map((c) => ob[c]! - oa[c]!) as [number, number, number];
  const transfer = outputShift.reduce((t, v, c) => t + v * shotShift[c]!, 0) / norm2;
  return { shotShift, outputShift, transfer };
}
