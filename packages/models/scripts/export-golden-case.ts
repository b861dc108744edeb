/**
 * Writes the weights and inputs of one golden case (src/golden/golden-case.ts) as safetensors,
 * for `tools/python/torch_lsr_golden.py` to run through the PyTorch implementation:
 *
 *   npm run golden:export -w @th/models -- --case lsr-64 --out /tmp/golden/lsr-64
 *
 * writes OUT/weights.safetensors (the @th state dict in @th layouts, with the case and the full
 * config in the metadata) and OUT/inputs.safetensors. lsr-224's weights take about 400 MB.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encodeSafetensors, init, type RawTensor, tensorToRaw } from '@th/backend';
import { goldenCase, goldenConfig, goldenInputs, goldenModel } from '../src/golden/golden-case';
import { tensorsDigest } from '../src/golden/golden-digest';

function flag(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value || value.startsWith('--')) {
    throw new Error(`missing --${name} (usage: --case NAME --out DIR)`);
  }
  return value;
}

async function writeTensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string>,
) {
  const raw = new Map<string, RawTensor>();
  for (const [name, t] of Object.entries(tensors)) raw.set(name, await tensorToRaw(t));
  writeFileSync(`${path}.tmp`, encodeSafetensors(raw, metadata));
  renameSync(`${path}.tmp`, path);
  console.log(`wrote ${path} (${raw.size} tensors)`);
}

async function main() {
  const c = goldenCase(flag('case'));
  const out = flag('out');
  mkdirSync(out, { recursive: true });
  await init({ backend: 'cpu' });
  const model = goldenModel(c);
  const state = model.stateDict();
  const inputs = goldenInputs(c);
  const common = { case: JSON.stringify(c), config: JSON.stringify(goldenConfig(c)) };
  await writeTensors(join(out, 'weights.safetensors'), state, {
    ...common,
    sha256: await tensorsDigest(state),
  });
  await writeTensors(join(out, 'inputs.safetensors'), inputs, {
    ...common,
    sha256: await tensorsDigest(inputs),
  });
  tf.dispose(Object.values(inputs));
  model.dispose();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
