import * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import type { ExampleBatch } from '../data/example-source';

/** One distinct colour per layout class (19 CelebAMask-HQ classes), for argmax maps. */
export const LAYOUT_PALETTE: ReadonlyArray<readonly [number, number, number]> = Array.from(
  { length: 19 },
  (_, i) => {
    // Evenly spaced hues, alternating brightness so neighbours differ: class 0 (background) black.
    if (i === 0) return [0, 0, 0] as const;
    const hue = ((i * 7) % 18) / 18;
    const v = i % 2 ? 1 : 0.6;
    const f = (n: number) => {
      const k = (n + hue * 6) % 6;
      return Math.round(255 * v * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
    };
    return [f(5), f(3), f(1)] as const;
  },
);

export interface RgbGrid {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * A sample sheet, one column per example: rows are the K sources, the target landmark image, the
 * layout argmax as a colour map, the model's output and the ground truth.
 */
export async function sampleGrid(model: LsrModel, batch: ExampleBatch): Promise<RgbGrid> {
  const [b, k, r] = batch.sources.shape;
  const rows = k + 4;
  const grid = new Uint8Array(rows * r * b * r * 3);
  const put = (row: number, col: number, rgb: Uint8Array | Int32Array) => {
    for (let y = 0; y < r; y++) {
      const dst = ((row * r + y) * b * r + col * r) * 3;
      grid.set(rgb.subarray(y * r * 3, (y + 1) * r * 3), dst);
    }
  };
  const toBytes = async (t: tf.Tensor) => {
    const bytes = tf.tidy(() =>
      tf.cast(tf.round(tf.mul(tf.add(tf.clipByValue(t, -1, 1), 1), 127.5)), 'int32'),
    );
    const data = (await bytes.data()) as Int32Array;
    bytes.dispose();
    return data;
  };
  const { image, layoutArgmax } = tf.tidy(() => {
    const out = model.synthesize(
      model.encode(batch.sources, batch.sourceLandmarks),
      batch.targetLandmarks,
    );
    return { image: tf.keep(out.image), layoutArgmax: tf.keep(tf.argMax(out.layoutLogits, 3)) };
  });
  try {
    const srcs = await toBytes(batch.sources);
    const lms = await toBytes(batch.targetLandmarks);
    const outs = await toBytes(image);
    const gts = await toBytes(batch.target);
    const classes = await layoutArgmax.data();
    const px = r * r * 3;
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < k; j++) put(j, i, srcs.subarray((i * k + j) * px, (i * k + j + 1) * px));
      put(k, i, lms.subarray(i * px, (i + 1) * px));
      const colours = new Uint8Array(px);
      for (let p = 0; p < r * r; p++) colours.set(LAYOUT_PALETTE[classes[i * r * r + p]!]!, p * 3);
      put(k + 1, i, colours);
      put(k + 2, i, outs.subarray(i * px, (i + 1) * px));
      put(k + 3, i, gts.subarray(i * px, (i + 1) * px));
    }
  } finally {
    tf.dispose([image, layoutArgmax]);
  }
  return { width: b * r, height: rows * r, data: grid };
}
