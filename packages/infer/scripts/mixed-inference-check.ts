/**
 * How far mixed-precision inference moves a checkpoint's output images from f32, both ways the
 * GEMMs can treat the weights (every operand f16, as training runs; weights split into two f16
 * terms, as `th reenact --precision mixed` runs): self-reenactment of the fixture person, K = 2.
 * The full check behind the CI test (src/model/bundled-mixed.webgpu.test.ts), for a GPU
 * (tools/device/mixed-precision.sh runs it on the H100, where the tensor-core kernel runs).
 *
 *   node mixed-inference-check.mjs [checkpoint] [fixtures folder] [reference backend]
 *
 * Defaults: the bundled model (packages/infer/assets/<bundledModel of its package.json>.safetensors),
 * fixtures/voxceleb2 (relative to the working directory, the repository root; the GPU machine has
 * no node_modules to resolve @th/infer from), reference webgpu (f32 on the same device). Prints
 * one JSON line per variant; exits 1 when the split-weights variant (what `th reenact` runs)
 * exceeds 1e-2.
 */
import { readFileSync } from 'node:fs';
import { releaseDawn } from '@th/backend';
import { mixedInferenceDiff } from '../src/testing/mixed-inference';

const { bundledModel } = JSON.parse(readFileSync('packages/infer/package.json', 'utf8'));
const [
  checkpoint = `packages/infer/assets/${bundledModel}.safetensors`,
  fixtures = 'fixtures/voxceleb2',
] = process.argv.slice(2);
const reference = (process.argv[4] ?? 'webgpu') as 'webgpu' | 'wasm' | 'cpu';
let failed = false;
for (const splitWeights of [false, true]) {
  const d = await mixedInferenceDiff(checkpoint, {
    splitWeights,
    reference,
    fixtures,
    webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
  });
  console.log(JSON.stringify({ checkpoint, reference, ...d }));
  if (splitWeights && !(d.maxAbs <= 1e-2)) failed = true;
}
releaseDawn();
process.exit(failed ? 1 : 0);
