// Does a model read its shots? Renders each identity's hold-out frames twice, from its K shots as
// they are and from the same shots with red and blue swapped, and reports how much of the shots'
// colour change reaches the output: transfer = Δ(output mean colour) · Δ(shots' mean colour) /
// |Δ(shots' mean colour)|², per identity. 1: the output follows the shots' colours; 0: the
// generator ignores them (it renders a colour it learned by heart). A model that generalises to
// new people needs the first (issue #17: "the model uses its shots").
//
//   npx turbo run build --filter=@th/infer... --filter=@th/eval
//   node tools/diagnostics/shot-colour-use.mjs <checkpoint> <prepared dataset> [K=4] [identities,...]

import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { evalSubjects } from '@th/data/node';
import { shotColourTransfer } from '@th/eval';
import { loadModel } from '@th/infer/node';

const [checkpoint, dataset, kArg = '4', ids] = process.argv.slice(2);
if (!checkpoint || !dataset) {
  console.error(
    'usage: node tools/diagnostics/shot-colour-use.mjs <checkpoint> <dataset> [K] [ids]',
  );
  process.exit(2);
}
await init({ backend: 'wasm' });
const { model } = await loadModel(checkpoint, { discriminator: false });
const k = Number(kArg);
const signed = (bytes, shape) =>
  tf.tidy(() => tf.sub(tf.div(tf.tensor(bytes, shape, 'float32'), 127.5), 1));
for await (const s of evalSubjects(dataset, k, ids?.split(','))) {
  const r = s.resolution;
  const shots = signed(
    s.shots.flatMap((f) => [...f.rgb]),
    [1, k, r, r, 3],
  );
  const lms = signed(
    s.shots.flatMap((f) => [...f.landmarkImage]),
    [1, k, r, r, 3],
  );
  const targets = s.targets.slice(0, 8);
  const drivers = signed(
    targets.flatMap((f) => [...f.landmarkImage]),
    [targets.length, r, r, 3],
  );
  // The same 8 hold-out frames, driven by their landmarks, from the given shots.
  const render = (src) =>
    tf.tidy(() => {
      const z = model.encode(src, lms);
      const zs = tf.tile(z.zs, [targets.length, 1]);
      const zl = tf.tile(z.zl, [targets.length, 1]);
      return model.synthesize({ zs, zl }, drivers).image;
    });
  const t = await shotColourTransfer(render, shots);
  const round = (v) => +v.toFixed(3);
  console.log(
    JSON.stringify({
      identity: s.identity,
      k,
      shotShift: t.shotShift.map(round),
      outputShift: t.outputShift.map(round),
      transfer: round(t.transfer),
    }),
  );
  tf.dispose([shots, lms, drivers]);
}
