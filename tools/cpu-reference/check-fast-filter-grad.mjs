/**
 * Bit-for-bit check of fast-filter-grad.mjs against tfjs-backend-cpu's own
 * Conv2DBackpropFilter on the geometries LSR uses (1x1/3x3/7x7 filters, stride 1 and 2, 'same'
 * and 'valid', explicit padding, batch 1 and 3). Exits 1 on the first differing bit.
 * Run: node tools/cpu-reference/check-fast-filter-grad.mjs
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterFast, stockConv2DBackpropFilter } from './fast-filter-grad.mjs';

await tf.setBackend('cpu');
const cases = [
  // [batch, h, w, inC, outC, filter, stride, pad]
  [1, 9, 9, 3, 4, 7, 1, 'same'],
  [3, 8, 10, 5, 6, 3, 1, 'same'],
  [2, 9, 8, 4, 3, 3, 2, 'same'],
  [2, 10, 10, 4, 5, 3, 2, 'valid'],
  [1, 7, 7, 6, 8, 1, 1, 'valid'],
  [
    2,
    8,
    8,
    3,
    2,
    4,
    2,
    [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  ],
  [
    1,
    6,
    5,
    2,
    3,
    3,
    1,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ],
];
let failures = 0;
for (const [n, h, w, ci, co, f, s, pad] of cases) {
  const x = tf.randomNormal([n, h, w, ci], 0, 1, 'float32', 1);
  const outShape = tf.conv2d(x, tf.zeros([f, f, ci, co]), s, pad).shape;
  const dy = tf.randomNormal(outShape, 0, 1, 'float32', 2);
  const backend = tf.backend();
  const args = {
    inputs: { x, dy },
    backend,
    attrs: {
      strides: [s, s],
      pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
      filterShape: [f, f, ci, co],
    },
  };
  const a = backend.readSync(stockConv2DBackpropFilter(args).dataId);
  const b = backend.readSync(conv2DBackpropFilterFast(args).dataId);
  const abits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bbits = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const diff = abits.findIndex((v, i) => v !== bbits[i]);
  const ok = a.length === b.length && diff < 0;
  if (!ok) failures++;
  console.log(
    `${ok ? 'same bits' : `DIFFERS at ${diff}`}: x ${[n, h, w, ci]} filter ${f}x${f}x${ci}x${co} stride ${s} pad ${JSON.stringify(pad)} (${a.length} values)`,
  );
}
// Through the registry too (what tfjs-core's conv2d gradient runs).
const x = tf.randomNormal([2, 12, 12, 4], 0, 1, 'float32', 3);
const dy = tf.randomNormal([2, 6, 6, 5], 0, 1, 'float32', 4);
const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 5] };
const ref = tf
  .backend()
  .readSync(stockConv2DBackpropFilter({ inputs: { x, dy }, backend: tf.backend(), attrs }).dataId);
const got = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs).dataSync();
const same = got.every((v, i) => Object.is(v, ref[i]));
if (!same) failures++;
console.log(`${same ? 'same bits' : 'DIFFERS'}: the registered cpu Conv2DBackpropFilter`);
if (failures) {
  console.error(`${failures} case(s) differ`);
  process.exit(1);
}
