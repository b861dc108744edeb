/**
 * Writes the model @th/infer ships, `assets/<name>.safetensors` (name: `bundledModel` in this
 * package's package.json), from the repository's full trained checkpoint
 * `assets/<name>.full.safetensors` (with the discriminator that subject fine-tuning needs): the
 * inference weights only (E^s, E^l, G^l, G^I; no discriminator, no optimiser state), through
 * @th/models' pruneCheckpoint, so the file is byte-for-byte reproducible.
 *
 *   npm run inference-checkpoint -w @th/infer -- [--full FILE] [--out FILE] [--f16]
 *                                                [--backend wasm|cpu|webgpu]
 *
 * --f16 stores the weights in half precision (half the size) if that keeps the outputs of the
 * fixture self-reenactment within 1e-2 (max |Δ| on the [-1, 1] output images, f32 arithmetic on
 * --backend, default wasm) of the float32 weights; otherwise it writes nothing and exits 1. The
 * measured difference is printed as one JSON line either way. A training checkpoint th-train
 * wrote works as --full too (its Adam moments are dropped).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendPreference, init } from '@th/backend';
import { bundledFullCheckpointPath, bundledModelPath } from '../src/node/bundled-model.node-only';
import { inferenceWeights } from '../src/testing/half-weights';

const LIMIT = 1e-2;
const { values } = parseArgs({
  options: {
    full: { type: 'string', default: bundledFullCheckpointPath() },
    out: { type: 'string', default: bundledModelPath() },
    f16: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
  },
});
const full = values.full;
// This script runs from a bundle in node_modules/.cache: find the repository through the package.
const fixtures = resolve(dirname(bundledModelPath()), '../../../fixtures/voxceleb2');
await init({ backend: values.backend as BackendPreference });
const weights = await inferenceWeights(new Uint8Array(readFileSync(full)), full, fixtures);
console.log(JSON.stringify({ full, backend: values.backend, f16VsF32: weights.diff }));
if (values.f16 && !(weights.diff.maxAbs <= LIMIT)) {
  console.error(
    `half precision moves the outputs by up to ${weights.diff.maxAbs.toExponential(2)} (> ${LIMIT}): nothing written; run without --f16 to ship float32`,
  );
  process.exit(1);
}
const bytes = values.f16 ? weights.f16 : weights.f32;
writeFileSync(`${values.out}.tmp`, bytes);
renameSync(`${values.out}.tmp`, values.out);
console.log(
  `wrote ${values.out} (${bytes.byteLength} bytes, ${values.f16 ? 'F16' : 'F32'}, inference weights only)`,
);
process.exit(0);
