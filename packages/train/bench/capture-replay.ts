/**
 * Does a captured batch-1 synthesis frame (what gpu-bench's "captured" fps replays) compute what
 * the eager frame computes? For each preset: the eager frame on two targets, then `synthesize`
 * captured once and replayed on both; prints the largest |replay − eager| beside the largest
 * |eager| (random weights, seed 0, K = 1). With `no-warm-up` the capture is the model's first
 * synthesis (weights uploaded during it) and the eager frames run after the replays. A check of
 * correctness, not a timing: meaningful on Mesa lavapipe.
 *
 *   node tools/device/bundle.mjs packages/train/bench/capture-replay.ts capture-replay
 *   node .device/capture-replay.mjs [lsr-64,lsr-224] [fused|unfused] [cpu-forward|no-cpu-forward] [warm-up|no-warm-up]
 *
 * Exits 1 when a replay differs by more than 1e-5 of the output's scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import { captureGraph, init } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { benchImage as img } from './synthetic-inputs';

const args = process.argv.slice(2);
const choice = (at: number, options: [string, string]): boolean => {
  const value = args[at] ?? options[0];
  if (!options.includes(value))
    throw new Error(
      `capture-replay: argument ${at + 1} must be ${options.join(' or ')}, got "${value}"`,
    );
  return value === options[0];
};
const presets = (args[0] ?? 'lsr-64,lsr-224').split(',') as PresetName[];
const fused = choice(1, ['fused', 'unfused']);
const cpuForward = choice(2, ['cpu-forward', 'no-cpu-forward']);
const warmUp = choice(3, ['warm-up', 'no-warm-up']);
const setting = `${fused ? 'fused' : 'unfused'}, ${cpuForward ? 'cpu-forward' : 'no-cpu-forward'}, ${warmUp ? 'warm-up' : 'no-warm-up'}`;

await init({
  backend: 'webgpu',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgpuRuntime: { fusedKernels: fused, cpuForward },
});

let failures = 0;
for (const preset of presets) {
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
  const inputSets = [7, 8].map((seed) => [latents.zs, latents.zl, img([1, r, r, 3], seed)]);
  const eagerFrames = () => inputSets.map((inputs) => tf.tidy(() => synth(inputs)[0]!));
  const before = warmUp ? eagerFrames() : null;
  const graph = captureGraph(synth, inputSets[0]!);
  if (!graph) throw new Error('capture-replay: captureGraph returned null (no @th WebGPU runtime)');
  const replayed = inputSets.map((inputs) => graph.run(inputs)[0]!);
  const eager = before ?? eagerFrames();
  for (const [i, frame] of replayed.entries()) {
    const e = await eager[i]!.data();
    const a = await frame.data();
    let diff = 0;
    let scale = 0;
    for (let k = 0; k < e.length; k++) {
      diff = Math.max(diff, Math.abs(a[k]! - e[k]!));
      scale = Math.max(scale, Math.abs(e[k]!));
    }
    const ok = diff <= 1e-5 * Math.max(1, scale);
    if (!ok) failures++;
    console.log(
      `${preset} (${setting}) target ${i + 1}: ${graph.kernelCount} kernels, max |replay − eager| ${diff.toExponential(3)}, max |eager| ${scale.toFixed(3)}: ${ok ? 'equal' : 'WRONG'}`,
    );
  }
  tf.dispose([...replayed, ...eager, ...inputSets.map((s) => s[2]!)]);
  graph.dispose();
  tf.dispose([latents.zs, latents.zl]);
}
process.exit(failures ? 1 : 0);
