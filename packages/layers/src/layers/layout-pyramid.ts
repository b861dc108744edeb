import type * as tf from '@tensorflow/tfjs-core';
import { avgPool2 } from '@th/backend';

/**
 * A layout (segmentation probabilities, NHWC) box-averaged to every power-of-two resolution
 * below it, built once per forward pass and shared by all SPADE layers (LSR
 * `SPADENormalization` re-pools the layout in every layer; the result is identical).
 *
 * Level k is level k-1 after a 2x2 VALID average pool, so level k is the exact mean of each
 * 2^k x 2^k block of the input (LSR: 224 -> 112 -> 56 -> 28 -> 14 -> 7). Levels stop when a side
 * becomes odd or reaches `minSize`. The pyramid owns the levels it computed (not the input):
 * call `dispose()`, or build it inside `tf.tidy`.
 */
export class LayoutPyramid {
  private readonly levels: tf.Tensor4D[];

  constructor(
    readonly layout: tf.Tensor4D,
    minSize = 1,
  ) {
    if (layout.rank !== 4)
      throw new Error(`LayoutPyramid: expected NHWC layout, got [${layout.shape}]`);
    this.levels = [layout];
    let top = layout;
    while (
      top.shape[1] % 2 === 0 &&
      top.shape[2] % 2 === 0 &&
      top.shape[1] / 2 >= minSize &&
      top.shape[2] / 2 >= minSize
    ) {
      top = avgPool2(top) as tf.Tensor4D;
      this.levels.push(top);
    }
  }

  /** Spatial sizes available, largest first, as [H, W]. */
  sizes(): Array<[number, number]> {
    return this.levels.map((t) => [t.shape[1], t.shape[2]]);
  }

  /** Channels of the layout. */
  get channels(): number {
    return this.layout.shape[3];
  }

  /** The layout box-averaged to [height, width]; throws if that size is not a pyramid level. */
  at(height: number, width: number): tf.Tensor4D {
    const level = this.levels.find((t) => t.shape[1] === height && t.shape[2] === width);
    if (!level) {
      const have = this.sizes()
        .map(([h, w]) => `${h}x${w}`)
        .join(', ');
      throw new Error(`LayoutPyramid: no level of size ${height}x${width} (available: ${have})`);
    }
    return level;
  }

  /** Free the pooled levels (the input layout stays with its owner). */
  dispose(): void {
    for (const t of this.levels.slice(1)) t.dispose();
    this.levels.length = 1;
  }
}
