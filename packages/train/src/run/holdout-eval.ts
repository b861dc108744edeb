import * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import type { FrameStore, StoredFrame } from '../data/frame-store';

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
 * docs/design.md#evaluation): for each held-out video, K shots from
 * the SAME video in `sources` at indices ⌊i·n/K⌋ of its sorted frames, latents from them, then every
 * held-out frame of that video is synthesised from its landmarks and compared with the real frame.
 */
export async function evaluateHoldout(
  model: LsrModel,
  sources: FrameStore,
  holdout: FrameStore,
  k: number,
): Promise<HoldoutMetrics> {
  const r = holdout.resolution;
  if (sources.resolution !== r)
    throw new Error('evaluateHoldout: source and held-out stores differ in resolution');
  let l1 = 0;
  let psnr = 0;
  let ce = 0;
  let frames = 0;
  for (const video of holdout.videos) {
    const src = sources.videos.find((v) => v.id === video.id);
    if (!src || src.frames.length === 0) continue;
    const shots = Array.from(
      { length: k },
      (_, i) => src.frames[Math.floor((i * src.frames.length) / k)]!,
    );
    const stack = (fs: StoredFrame[], pick: (f: StoredFrame) => Float32Array) => {
      const out = new Float32Array(fs.length * r * r * 3);
      for (const [i, f] of fs.entries()) out.set(pick(f), i * r * r * 3);
      return out;
    };
    const n = video.frames.length;
    const summary = tf.tidy(() => {
      const s = tf.tensor5d(
        stack(shots, (f) => f.rgb),
        [1, k, r, r, 3],
      );
      const sl = tf.tensor5d(
        stack(shots, (f) => f.landmarks),
        [1, k, r, r, 3],
      );
      const out = model.synthesize(
        model.encode(s, sl),
        tf.tensor4d(
          stack(video.frames, (f) => f.landmarks),
          [n, r, r, 3],
        ),
      );
      const real = tf.tensor4d(
        stack(video.frames, (f) => f.rgb),
        [n, r, r, 3],
      );
      const fake = tf.clipByValue(out.image, -1, 1);
      const absErr = tf.mean(tf.abs(tf.sub(fake, real)), [1, 2, 3]);
      const mse = tf.mean(tf.square(tf.div(tf.sub(fake, real), 2)), [1, 2, 3]);
      const framePsnr = tf.mul(-10 / Math.LN10, tf.log(tf.maximum(mse, 1e-10)));
      const labels = tf.oneHot(
        tf.tensor1d(Int32Array.from(video.frames.flatMap((f) => [...f.segmentation])), 'int32'),
        out.layoutLogits.shape[3],
      );
      const logp = tf.logSoftmax(tf.reshape(out.layoutLogits, [n * r * r, -1]));
      const xent = tf.neg(tf.sum(tf.mul(labels, logp)));
      return tf.stack([tf.sum(absErr), tf.sum(framePsnr), tf.div(xent, r * r)]);
    });
    const values = await summary.data();
    summary.dispose();
    l1 += values[0]!;
    psnr += values[1]!;
    ce += values[2]!;
    frames += n;
  }
  if (frames === 0)
    throw new Error('evaluateHoldout: no held-out video has source frames of the same video');
  return { l1: l1 / frames, psnr: psnr / frames, layoutCrossEntropy: ce / frames, frames };
}
