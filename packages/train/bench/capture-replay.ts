/**
 * Does a captured batch-1 synthesis frame (what gpu-bench's "captured" fps replays) compute what
 * the eager frame computes? For each preset: capture `synthesize` once, replay it on the capture
 * inputs and on a second target, and print the largest |replay − eager| beside the largest
 * |eager| (random weights, seed 0, K = 1). A check of correctness, not a timing: meaningful on
 * Mesa lavapipe.
 *
 *   node tools/device/bundle.mjs packages/train/bench/capture-replay.ts capture-replay
 *   node .device/capture-replay.mjs [lsr-64,lsr-224] [fused|unfused] [cpu-forward|no-cpu-forward]
 */
import * as tf from '@tensorflow/tfjs-core';
import { captureGraph, init } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { benchImage as img } from './synthetic-inputs';

const [presetsArg = 'lsr-64,lsr-224', fusedArg = 'fused', forwardArg = 'cpu-forward'] =
  process.argv.slice(2);
if (fusedArg !== 'fused' && fusedArg !== 'unfused')
  throw new Error(`capture-replay: second argument must be fused or unfused, got "${fusedArg}"`);
if (forwardArg !== 'cpu-forward' && forwardArg !== 'no-cpu-forward')
  throw new Error(
    `capture-replay: third argument must be cpu-forward or no-cpu-forward, got "${forwardArg}"`,
  );

await init({
  backend: 'webgpu',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgpuRuntime: { fusedKernels: fusedArg === 'fused', cpuForward: forwardArg === 'cpu-forward' },
});

let failures = 0;
for (const preset of presetsArg.split(',') as PresetName[]) {
  const config = presetConfig(preset);
  const r = config.resolution;
  const model = new LsrModel(config, { checkRange: false }).initialize(0);
  const latents = model.encode(
    img([1, 1, r, r, 3], 5) as tf.Tensor5D,
    img([1, 1, r, r, 3], 6) as tf.Tensor5D,
  );
  const synth = ([zs, zl, l]: tf.Tensor[]) => [
    model.synthesize({ zs: zs as tf.Tensor2D, zl: zl as tf.Tensor2D }, l as tf.Tensor4D).image,
  ];
  const targets = [img([1, r, r, 3], 7), img([1, r, r, 3], 8)];
  // As gpu-bench does: eager frames first (weights uploaded, pipelines compiled), then capture.
  if (process.env.TH_CAPTURE_WARMUP !== '0')
    tf.dispose(tf.tidy(() => synth([latents.zs, latents.zl, targets[0]!])));
  const graph = captureGraph(synth, [latents.zs, latents.zl, targets[0]!]);
  if (!graph) throw new Error('capture-replay: captureGraph returned null (no @th WebGPU runtime)');
  for (const [i, target] of targets.entries()) {
    const inputs = [latents.zs, latents.zl, target];
    const eager = tf.tidy(() => synth(inputs)[0]!);
    const replayed = graph.run(inputs)[0]!;
    const e = await eager.data();
    const a = await replayed.data();
    let diff = 0;
    let scale = 0;
    for (let k = 0; k < e.length; k++) {
      diff = Math.max(diff, Math.abs(a[k]! - e[k]!));
      scale = Math.max(scale, Math.abs(e[k]!));
    }
    const ok = diff <= 1e-5 * Math.max(1, scale);
    if (!ok) failures++;
    console.log(
      `${preset} ${fusedArg} ${forwardArg} target ${i + 1}: ${graph.kernelCount} kernels, max |replay − eager| ${diff.toExponential(3)}, max |eager| ${scale.toFixed(3)} ${ok ? 'OK' : 'WRONG'}`,
    );
    tf.dispose([eager, replayed]);
  }
  graph.dispose();
  tf.dispose([latents.zs, latents.zl, ...targets]);
  model.dispose?.();
}
process.exit(failures ? 1 : 0);
