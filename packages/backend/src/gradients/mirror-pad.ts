import * as tf from '@tensorflow/tfjs-core';

/**
 * Correct gradient of MirrorPad. tfjs 4.22's gradient only slices the centre out of dy, which
 * drops the contributions of the mirrored border pixels (wrong at FIRST order already).
 *
 * Along one axis of length n with `before` / `after` padding, the padded tensor is
 *   [ reverse(x[o : o + before]), x, reverse(x[n - o - after : n - o]) ]
 * with o = 1 for 'reflect' (edge not repeated) and o = 0 for 'symmetric'. Its adjoint maps
 * g = [g_before, g_mid, g_after] to g_mid + (reverse(g_before) placed at o)
 * + (reverse(g_after) placed at n - o - after). Axes are independent, so they are undone one
 * at a time. Only slice / reverse / pad / add are used, all linear with safe gradients.
 */
function unpadAxis(
  g: tf.Tensor,
  axis: number,
  n: number,
  before: number,
  after: number,
  offset: number,
): tf.Tensor {
  const sliceAlong = (start: number, size: number): tf.Tensor => {
    const begin = g.shape.map((_, i) => (i === axis ? start : 0));
    const sizes = g.shape.map((d, i) => (i === axis ? size : d));
    return tf.slice(g, begin, sizes);
  };
  const placeAt = (t: tf.Tensor, start: number, size: number): tf.Tensor => {
    const paddings = t.shape.map((_, i) =>
      i === axis ? ([start, n - start - size] as [number, number]) : ([0, 0] as [number, number]),
    );
    return tf.pad(t, paddings);
  };
  let result = sliceAlong(before, n);
  if (before > 0)
    result = tf.add(result, placeAt(tf.reverse(sliceAlong(0, before), axis), offset, before));
  if (after > 0) {
    const tail = tf.reverse(sliceAlong(before + n, after), axis);
    result = tf.add(result, placeAt(tail, n - offset - after, after));
  }
  return result;
}

export const mirrorPadGrad: tf.GradConfig = {
  kernelName: 'MirrorPad',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const paddings = attrs.paddings as Array<[number, number]>;
    const offset = attrs.mode === 'reflect' ? 1 : 0;
    return {
      x: () => {
        let g = dy as tf.Tensor;
        paddings.forEach(([before, after], axis) => {
          g = unpadAxis(g, axis, x.shape[axis] as number, before, after, offset);
        });
        return g;
      },
    };
  },
};
