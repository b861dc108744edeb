import * as tf from '@tensorflow/tfjs-core';

/** Check an image-like input: rank, trailing [size, size, 3], finite and inside [-1, 1]. */
export function checkImages(
  what: string,
  t: tf.Tensor,
  rank: number,
  resolution: number,
  checkRange: boolean,
): void {
  if (!(t instanceof tf.Tensor)) throw new Error(`${what}: expected a tf.Tensor, got ${typeof t}`);
  if (t.rank !== rank) {
    throw new Error(
      `${what}: expected rank ${rank} (${rank === 5 ? '[batch, K, H, W, 3]' : '[N, H, W, 3]'}), got shape [${t.shape}]`,
    );
  }
  const [h, w, c] = t.shape.slice(-3) as [number, number, number];
  if (c !== 3)
    throw new Error(`${what}: expected 3 channels (RGB), got ${c} in shape [${t.shape}]`);
  if (h !== resolution || w !== resolution) {
    throw new Error(
      `${what}: expected ${resolution}x${resolution} images for this model, got ${h}x${w} (resize first)`,
    );
  }
  if (t.shape[0] === 0) throw new Error(`${what}: empty batch`);
  if (!checkRange) return;
  const [lo, hi] = tf.tidy(() => [tf.min(t).dataSync()[0]!, tf.max(t).dataSync()[0]!]);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`${what}: contains NaN or Inf`);
  if (lo < -1.001 || hi > 1.001) {
    throw new Error(
      `${what}: values must be in [-1, 1] (x / 127.5 - 1 for uint8), found [${lo.toFixed(3)}, ${hi.toFixed(3)}]`,
    );
  }
}
