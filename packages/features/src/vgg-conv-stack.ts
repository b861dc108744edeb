import * as tf from '@tensorflow/tfjs-core';

/**
 * One 3x3 convolution of a VGG stack (Simonyan & Zisserman 2015): `[name, in, out]`. Names follow
 * Keras: `block{b}_conv{c}` (keras.applications VGG16/19) or `conv{b}_{c}` (keras_vggface); the
 * block number decides where the 2x2 max-pooling goes.
 */
export type VggConv = readonly [name: string, inChannels: number, outChannels: number];

/**
 * Weights keyed `<layer>/kernel` and `<layer>/bias` in Keras layouts (conv HWIO [3,3,in,out],
 * dense [in,out]). Tensors are owned by the network built from them (freed by its `dispose()`).
 */
export type VggWeights = Map<string, tf.Tensor>;

/** The block number of a VGG conv name (`block3_conv2` and `conv3_2` are both in block 3). */
export function vggBlockOf(name: string): number {
  const m = /^block(\d+)_conv\d+$/.exec(name) ?? /^conv(\d+)_\d+$/.exec(name);
  if (!m) throw new Error(`not a VGG conv layer name: "${name}"`);
  return Number(m[1]);
}

/** Throws, naming `source`, the tensor and the expected shape, unless `key` has exactly `shape`. */
export function expectTensor(
  weights: VggWeights,
  key: string,
  shape: readonly number[],
  source: string,
): void {
  const t = weights.get(key);
  if (!t) throw new Error(`${source}: missing tensor "${key}" (expected shape [${shape}])`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${source}: tensor "${key}" has shape [${t.shape}], expected [${shape}]`);
  }
}

/** Check that every conv of `convs` has a kernel [3,3,in,out] and a bias [out]. */
export function validateConvStack(
  weights: VggWeights,
  convs: readonly VggConv[],
  source: string,
): void {
  for (const [name, cin, cout] of convs) {
    expectTensor(weights, `${name}/kernel`, [3, 3, cin, cout], source);
    expectTensor(weights, `${name}/bias`, [cout], source);
  }
}

/**
 * Run a VGG convolution stack on preprocessed input `x`:
 *
 *   for each conv c:  (2x2/2 max-pool if c opens a new block) → x = ReLU(conv3x3_same(x, W_c) + b_c)
 *
 * Returns the post-ReLU activations of the convs named in `capture` (in stack order) and the last
 * activation (unpooled). Call inside `tf.tidy`; nothing is kept.
 */
export function runConvStack(
  x: tf.Tensor4D,
  weights: VggWeights,
  convs: readonly VggConv[],
  capture: ReadonlySet<string>,
): { captured: tf.Tensor4D[]; last: tf.Tensor4D } {
  const captured: tf.Tensor4D[] = [];
  let block = convs.length > 0 ? vggBlockOf(convs[0]![0]) : 0;
  for (const [name] of convs) {
    const b = vggBlockOf(name);
    if (b !== block) x = tf.maxPool(x, 2, 2, 'valid');
    block = b;
    const kernel = weights.get(`${name}/kernel`) as tf.Tensor4D;
    const bias = weights.get(`${name}/bias`) as tf.Tensor1D;
    x = tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias)) as tf.Tensor4D;
    if (capture.has(name)) captured.push(x);
  }
  return { captured, last: x };
}

/** Parameters of a conv stack (kernels + biases). */
export function convStackParameterCount(convs: readonly VggConv[]): number {
  return convs.reduce((n, [, cin, cout]) => n + 9 * cin * cout + cout, 0);
}

/** Free every tensor of `weights` and empty the map. */
export function disposeWeights(weights: VggWeights): void {
  for (const t of weights.values()) t.dispose();
  weights.clear();
}
