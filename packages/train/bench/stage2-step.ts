/**
 * Time LSR stage-2 training steps (docs/design.md#loss-stage2, docs/design.md#schedule) on a
 * backend: G side (E^s, E^l, G^l, G^I with
 * adversarial + L1 + latent losses; VGG terms off, as no VGG weights exist offline), D side with
 * R1 and R2 every step, simultaneous Adam updates. Synthetic inputs: this measures speed and
 * memory, not learning.
 *
 *   TH_BACKEND=webgpu TH_PRESET=lsr-224 TH_BATCH=4 TH_K=4 TH_STEPS=10 node stage2-step.mjs
 */
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { Adam, lossConfig, stage2DiscriminatorLoss, stage2GeneratorLoss } from '../src/index';
import { benchStage2Losses, benchImage as img } from './synthetic-inputs';

const env = process.env;
const preset = (env.TH_PRESET ?? 'lsr-64') as PresetName;
const batch = Number(env.TH_BATCH ?? 4);
const k = Number(env.TH_K ?? 4);
const steps = Number(env.TH_STEPS ?? 5);
const report = await init({
  backend: (env.TH_BACKEND ?? 'auto') as never,
  log: (l) => console.log(`# ${l}`),
});
const config = presetConfig(preset);
const r = config.resolution;
const model = new LsrModel(config, { checkRange: false }).initialize(0);
const named = (prefix: (n: string) => boolean) =>
  Object.fromEntries(
    model
      .namedParameters()
      .filter(([n]) => prefix(n))
      .map(([n, p]) => [n, p.value]),
  );
const gVars = named((n) => !n.startsWith('discriminator.'));
const dVars = named((n) => n.startsWith('discriminator.'));
const adamG = new Adam(gVars);
const adamD = new Adam(dVars);
const losses = benchStage2Losses();
const D = (x: tf.Tensor4D) =>
  model.discriminator!.forward(
    tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 3]) as tf.Tensor4D,
    tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 3]) as tf.Tensor4D,
  );
const shots = img([batch, k, r, r, 3], 1) as tf.Tensor5D;
const shotLms = img([batch, k, r, r, 3], 2) as tf.Tensor5D;
const real = img([batch, r, r, 3], 3) as tf.Tensor4D;
const lms = img([batch, r, r, 3], 4) as tf.Tensor4D;
const rename = (grads: tf.NamedTensorMap, vars: Record<string, tf.Variable>) => {
  const byVar = new Map(Object.entries(vars).map(([n, v]) => [v.name, n]));
  return Object.fromEntries(Object.entries(grads).map(([vn, g]) => [byVar.get(vn)!, g]));
};
const gpuBytes = () =>
  (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? tf.memory().numBytes;
let peak = 0;
const rows: { g: number; d: number; apply: number; total: number; lossG: number; lossD: number }[] =
  [];
console.log(
  `# ${preset}, batch ${batch}, K ${k}, backend ${report.backend}; params G-side ${Object.values(gVars).reduce((s, v) => s + v.size, 0)}, D ${Object.values(dVars).reduce((s, v) => s + v.size, 0)}`,
);
for (let step = 0; step < steps; step++) {
  const t0 = performance.now();
  let fake: tf.Tensor4D | null = null;
  const g = tf.variableGrads(() => {
    const lat = model.encode(shots, shotLms);
    const out = model.synthesize(lat, lms);
    fake = tf.keep(out.image.clone());
    return stage2GeneratorLoss(
      {
        fake: out.image,
        real,
        landmarks: lms,
        discriminator: D,
        styleLatent: lat.zs,
        layoutLatent: lat.zl,
      },
      losses,
    ).total;
  }, Object.values(gVars));
  const lossG = (await g.value.data())[0]!;
  peak = Math.max(peak, gpuBytes());
  const t1 = performance.now();
  const d = tf.variableGrads(
    () =>
      stage2DiscriminatorLoss({ real, fake: fake!, landmarks: lms, discriminator: D }, losses)
        .total,
    Object.values(dVars),
  );
  const lossD = (await d.value.data())[0]!;
  peak = Math.max(peak, gpuBytes());
  const t2 = performance.now();
  adamG.apply(rename(g.grads, gVars));
  adamD.apply(rename(d.grads, dVars));
  await tf.sum(Object.values(gVars)[0]!).data();
  const t3 = performance.now();
  tf.dispose([g.value, d.value, fake!, ...Object.values(g.grads), ...Object.values(d.grads)]);
  rows.push({ g: t1 - t0, d: t2 - t1, apply: t3 - t2, total: t3 - t0, lossG, lossD });
  console.log(
    `step ${step + 1}/${steps}: total ${(t3 - t0).toFixed(0)} ms (G fwd+bwd ${(t1 - t0).toFixed(0)}, D+R1/R2 ${(t2 - t1).toFixed(0)}, Adam ${(t3 - t2).toFixed(0)}); lossG ${lossG.toFixed(4)} lossD ${lossD.toFixed(4)}; tensors ${tf.memory().numTensors}`,
  );
}
// D without penalties, for the R1/R2 share of the D time.
const t4 = performance.now();
const plain = tf.variableGrads(
  () =>
    stage2DiscriminatorLoss(
      { real, fake: real, landmarks: lms, discriminator: D },
      lossConfig({ stage2: { r1Gamma: 0, r2Gamma: 0 } }),
    ).total,
  Object.values(dVars),
);
await plain.value.data();
const dPlain = performance.now() - t4;
const steady = rows.slice(Math.min(2, rows.length - 1));
const mean = (f: (x: (typeof rows)[number]) => number) =>
  steady.reduce((s, x) => s + f(x), 0) / steady.length;
const summary = {
  preset,
  batch,
  k,
  backend: report.backend,
  steps,
  stepMs: mean((x) => x.total),
  gMs: mean((x) => x.g),
  dWithPenaltiesMs: mean((x) => x.d),
  dWithoutPenaltiesMs: dPlain,
  adamMs: mean((x) => x.apply),
  peakBytes: peak,
  webgpuCpuForward: tf.env().getFlags().WEBGPU_CPU_FORWARD ?? null,
};
console.log(JSON.stringify(summary));

// The WebGPU device keeps Node alive; leave explicitly once the report is printed.
process.exit(process.exitCode ?? 0);
