/**
 * GPU dispatches of one batch-1 synthesis frame (latents cached, eager: what `th reenact` and
 * gpu-bench's inference run), per GPU program, for each preset given. A count of work, not a
 * timing: it is meaningful on Mesa lavapipe (a CPU), where GPU time is not.
 *
 *   node tools/device/bundle.mjs packages/train/bench/infer-dispatches.ts infer-dispatches
 *   node .device/infer-dispatches.mjs [lsr-64,lsr-224] [out.json]
 *
 * Prints markdown tables per preset (top programs, and top program-shape pairs, by dispatches)
 * and writes the JSON when asked.
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { countKernels, init, profileDispatches } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { benchImage as img } from './synthetic-inputs';

const [presetsArg = 'lsr-64,lsr-224', out] = process.argv.slice(2);

await init({ backend: 'webgpu', webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu') });

const results: Record<string, unknown> = {};
for (const preset of presetsArg.split(',') as PresetName[]) {
  const config = presetConfig(preset);
  const r = config.resolution;
  const k = 1;
  const model = new LsrModel(config, { checkRange: false }).initialize(0);
  const latents = model.encode(
    img([1, k, r, r, 3], 5) as tf.Tensor5D,
    img([1, k, r, r, 3], 6) as tf.Tensor5D,
  );
  const target = img([1, r, r, 3], 7) as tf.Tensor4D;
  const frame = () =>
    tf.dispose(tf.tidy(() => model.synthesize({ zs: latents.zs, zl: latents.zl }, target).image));
  frame(); // warm-up: pipelines compiled, weights uploaded
  await tf.backend().read?.(latents.zs.dataId);
  const counts = await countKernels(frame);
  const profile = await profileDispatches(frame);
  // tfjs kernels by name (Add, Multiply, ...: BinaryOpProgram does not say which).
  const byKernel = new Map<string, number>();
  const info = await tf.profile(frame);
  for (const kr of info.kernels) byKernel.set(kr.name, (byKernel.get(kr.name) ?? 0) + 1);
  const kernels = [...byKernel]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count);
  const programs = profile.programs
    .map(({ name, dispatches }) => ({ name, dispatches }))
    .sort((a, b) => b.dispatches - a.dispatches);
  const calls = profile.calls
    .map(({ name, outputShape, workgroups, dispatches }) => ({
      name,
      outputShape,
      workgroups,
      dispatches,
    }))
    .sort((a, b) => b.dispatches - a.dispatches);
  results[preset] = {
    kernels: counts.kernels,
    dispatches: counts.dispatches,
    programs,
    calls,
    byKernel: kernels,
  };
  console.log(
    `\n### ${preset}, batch 1: ${counts.dispatches} dispatches, ${counts.kernels} kernels\n`,
  );
  console.log('| GPU program | dispatches |\n|---|---|');
  for (const p of programs.slice(0, 15)) console.log(`| ${p.name} | ${p.dispatches} |`);
  console.log('\n| GPU program | output shape | workgroups | dispatches |\n|---|---|---|---|');
  for (const c of calls.slice(0, 30))
    console.log(
      `| ${c.name} | ${c.outputShape.join('×') || '–'} | ${c.workgroups.join('×') || '–'} | ${c.dispatches} |`,
    );
  console.log('\n| tfjs kernel | calls |\n|---|---|');
  for (const kr of kernels.slice(0, 20)) console.log(`| ${kr.name} | ${kr.count} |`);
  tf.dispose([latents.zs, latents.zl, target]);
  model.dispose?.();
}
if (out) {
  writeFileSync(`${out}.tmp`, `${JSON.stringify(results, null, 1)}\n`);
  renameSync(`${out}.tmp`, out);
}
process.exit(0);
