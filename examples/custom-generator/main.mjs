// Compose a custom generator from @th/layers blocks and train it for a few steps.
//
// The task is a miniature of LSR's image generator: from a segmentation layout (here: random
// blobs of 5 classes) and a latent, paint an image whose colour in each region is given by the
// class. SPADE blocks see the layout at every resolution through one shared LayoutPyramid.
//
//   node main.mjs [--steps 200] [--backend wasm] [--check]
import * as tf from '@tensorflow/tfjs-core';
import { createRng, init } from '@th/backend';
import {
  applyActivation,
  EqConv2d,
  EqDense,
  LayoutPyramid,
  Module,
  SPADEResBlock,
  UpsampleBilinear2x,
} from '@th/layers';
import { Adam, l1Loss } from '@th/train';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const steps = Number(flag('steps', 200));
const classes = 5;
const size = 16;

class TinySpadeGenerator extends Module {
  fc = this.child('fc', new EqDense({ inFeatures: 16, outFeatures: 4 * 4 * 32 }));
  block0 = this.child(
    'block0',
    new SPADEResBlock({ inChannels: 32, outChannels: 32, labelChannels: classes, hidden: 16 }),
  );
  block1 = this.child(
    'block1',
    new SPADEResBlock({ inChannels: 32, outChannels: 16, labelChannels: classes, hidden: 16 }),
  );
  block2 = this.child(
    'block2',
    new SPADEResBlock({ inChannels: 16, outChannels: 8, labelChannels: classes, hidden: 16 }),
  );
  toRgb = this.child(
    'toRgb',
    new EqConv2d({ inChannels: 8, outChannels: 3, kernelSize: 3, gain: 1 }),
  );
  up = new UpsampleBilinear2x();

  /** z [N,16], layout [N,16,16,classes] -> image [N,16,16,3] */
  forward(z, layout) {
    return tf.tidy(() => {
      const pyramid = new LayoutPyramid(layout);
      let x = tf.reshape(this.fc.forward(z), [-1, 4, 4, 32]);
      x = this.block0.forward(x, pyramid);
      x = this.block1.forward(this.up.forward(x), pyramid);
      x = this.block2.forward(this.up.forward(x), pyramid);
      return this.toRgb.forward(applyActivation('lrelu', x));
    });
  }
}

/** A batch of random-blob layouts and the images they should become (one colour per class). */
function batch(rng, n) {
  const palette = [
    [-1, -1, -1],
    [1, -0.5, -0.5],
    [-0.5, 1, -0.5],
    [-0.5, -0.5, 1],
    [1, 1, -1],
  ];
  const labels = new Int32Array(n * size * size);
  for (let b = 0; b < n; b++) {
    const centres = Array.from({ length: classes - 1 }, () => [
      rng.next() * size,
      rng.next() * size,
    ]);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let best = 0;
        centres.forEach(([cy, cx], c) => {
          if ((y - cy) ** 2 + (x - cx) ** 2 < 16) best = c + 1;
        });
        labels[(b * size + y) * size + x] = best;
      }
  }
  return tf.tidy(() => {
    const lab = tf.tensor3d(labels, [n, size, size], 'int32');
    const layout = tf.cast(tf.oneHot(lab, classes), 'float32');
    const target = tf.gather(tf.tensor2d(palette), lab);
    return { layout, target };
  });
}

const report = await init({ backend: flag('backend', 'auto') });
console.log(`backend: ${report.backend}`);
const g = new TinySpadeGenerator().initialize(42);
console.log(`parameters: ${g.numParams()}`);
const vars = Object.fromEntries(g.namedParameters().map(([name, p]) => [name, p.value]));
const byVarName = new Map(Object.entries(vars).map(([name, v]) => [v.name, name]));
const adam = new Adam(vars, { learningRate: 3e-3 });
const rng = createRng(0);
const z = tf.randomNormal([8, 16], 0, 1, 'float32', 1);
let first;
let last;
for (let step = 1; step <= steps; step++) {
  const { layout, target } = batch(rng, 8);
  const { value, grads } = tf.variableGrads(() => l1Loss(g.forward(z, layout), target));
  adam.apply(Object.fromEntries(Object.entries(grads).map(([k, t]) => [byVarName.get(k), t])));
  const loss = (await value.data())[0];
  tf.dispose([value, layout, target, ...Object.values(grads)]);
  first ??= loss;
  last = loss;
  if (step % 10 === 0 || step === 1) console.log(`step ${step}: L1 ${loss.toFixed(4)}`);
}
console.log(`L1 ${first.toFixed(4)} -> ${last.toFixed(4)} after ${steps} steps`);
if (args.includes('--check') && !(last < 0.7 * first)) {
  console.error('expected the L1 loss to fall by at least 30%');
  process.exit(1);
}
