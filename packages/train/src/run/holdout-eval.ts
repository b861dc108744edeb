import * as tf from '@tensorflow/tfjs-core';
import { type EvalSubject, signedUnits } from '@th/data';
import type { LsrModel } from '@th/models';

export interface HoldoutMetrics {
  /** mean |x̂ − x| in [−1, 1] units over all held-out frames. */
  l1: number;
  /** mean over frames of 10·log10(1 / MSE) with images mapped to [0, 1] and x̂ clipped. */
  psnr: number;
  /** mean softmax cross-entropy of the layout logits vs the oracle segmentation. */
  layoutCrossEntropy: number;
  frames: number;
}

/**
 * The meta-learned protocol on held-out frames (docs/design.md#inference,
 * docs/design.md#evaluation), on @th/data's evaluation subjects (an array, or `evalSubjects(...)`
 * to read one identity at a time): per identity, latents from its K shots (⌊i·n/K⌋ of its sorted
 * source frames), then every hold-out frame synthesised from its landmark image and compared with
 * the real frame.
 */
/** Hold-out frames synthesised per batch (default). */
const HOLDOUT_CHUNK = 8;

export async function evaluateHoldout(
  model: LsrModel,
  subjects: Iterable<EvalSubject> | AsyncIterable<EvalSubject>,
  options: { chunk?: number } = {},
): Promise<HoldoutMetrics> {
  const chunk = options.chunk ?? HOLDOUT_CHUNK;
  let l1 = 0;
  let psnr = 0;
  let ce = 0;
  let frames = 0;
  for await (const subject of subjects) {
    const r = subject.resolution;
    if (r !== model.config.resolution)
      throw new Error(
        `evaluateHoldout: ${subject.identity}'s frames are ${r}x${r}, the model is ${model.config.resolution}x${model.config.resolution}`,
      );
    const k = subject.shots.length;
    const n = subject.targets.length;
    if (n === 0) continue;
    const latents = tf.tidy(() => {
      const s = tf.tensor5d(signedUnits(subject.shots.map((f) => f.rgb)), [1, k, r, r, 3]);
      const sl = tf.tensor5d(signedUnits(subject.shots.map((f) => f.landmarkImage)), [
        1,
        k,
        r,
        r,
        3,
      ]);
      const { zs, zl } = model.encode(s, sl);
      return { zs, zl };
    });
    try {
      // Targets in chunks: 32 frames at 224² in one batch make activations of hundreds of MB,
      // over a WebGPU storage-binding limit (128 MiB by default, lavapipe's own), where a
      // dispatch is dropped and reads back zeros.
      for (let start = 0; start < n; start += chunk) {
        const targets = subject.targets.slice(start, start + chunk);
        const m = targets.length;
        const summary = tf.tidy(() => {
          const out = model.synthesize(
            latents,
            tf.tensor4d(signedUnits(targets.map((f) => f.landmarkImage)), [m, r, r, 3]),
          );
          const real = tf.tensor4d(signedUnits(targets.map((f) => f.rgb)), [m, r, r, 3]);
          const fake = tf.clipByValue(out.image, -1, 1);
          const absErr = tf.mean(tf.abs(tf.sub(fake, real)), [1, 2, 3]);
          const mse = tf.mean(tf.square(tf.div(tf.sub(fake, real), 2)), [1, 2, 3]);
          const framePsnr = tf.mul(-10 / Math.LN10, tf.log(tf.maximum(mse, 1e-10)));
          const labels = tf.oneHot(
            tf.tensor1d(Int32Array.from(targets.flatMap((f) => [...f.segmentation])), 'int32'),
            out.layoutLogits.shape[3],
          );
          const logp = tf.logSoftmax(tf.reshape(out.layoutLogits, [m * r * r, -1]));
          const xent = tf.neg(tf.sum(tf.mul(labels, logp)));
          return tf.stack([tf.sum(absErr), tf.sum(framePsnr), tf.div(xent, r * r)]);
        });
        const values = await summary.data();
        summary.dispose();
        l1 += values[0]!;
        psnr += values[1]!;
        ce += values[2]!;
      }
    } finally {
      tf.dispose(latents);
    }
    frames += n;
  }
  if (frames === 0) throw new Error('evaluateHoldout: no hold-out frames');
  return { l1: l1 / frames, psnr: psnr / frames, layoutCrossEntropy: ce / frames, frames };
}
