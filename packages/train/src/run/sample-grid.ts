import * as tf from '@tensorflow/tfjs-core';
import { colourClassMap } from '@th/data';
import type { LsrModel } from '@th/models';
import type { ExampleBatch } from '../data/example-source';

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
      put(k + 1, i, colourClassMap(classes.subarray(i * r * r, (i + 1) * r * r), r, r).data);
      put(k + 2, i, outs.subarray(i * px, (i + 1) * px));
      put(k + 3, i, gts.subarray(i * px, (i + 1) * px));
    }
  } finally {
    tf.dispose([image, layoutArgmax]);
  }
  return { width: b * r, height: rows * r, data: grid };
}
