/**
 * Shipping weights in half precision (scripts/inference-checkpoint.ts --f16): the bundled model's
 * full checkpoint as F16 inference weights is half the size, loads into the float32 model
 * (widened exactly) and renders the fixture self-reenactment close to, but not exactly as, the
 * float32 weights; and the shipped file follows the rule that it is F16 only if that keeps the
 * outputs within 1e-2 (the bundled lsr-64, shipped F32, measured 9.5e-3 on wasm).
 */
import { readFileSync } from 'node:fs';
import { init } from '@th/backend';
import { decodeCheckpoint } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledFullCheckpointPath, bundledModelPath } from '../node/bundled-model.node-only';
import { FIXTURES } from '../testing/fixtures';
import { type InferenceWeights, inferenceWeights } from '../testing/half-weights';
import { loadModel } from './load-model';

describe('half-precision inference weights', () => {
  let weights: InferenceWeights;
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    const full = bundledFullCheckpointPath();
    weights = await inferenceWeights(new Uint8Array(readFileSync(full)), full, FIXTURES);
    console.log(`bundled model, F16 vs F32 weights (wasm): ${JSON.stringify(weights.diff)}`);
  });

  it('halve the file, load into the float32 model and move the outputs a little', async () => {
    const { f32, f16, diff } = weights;
    expect(f16.byteLength).toBeLessThan(f32.byteLength * 0.51);
    expect(f16.byteLength).toBeGreaterThan(f32.byteLength * 0.49);
    const loaded = await loadModel(f16, { name: 'half' });
    expect(Object.keys(loaded.storedDtypes)).toEqual(['F16']);
    expect(loaded.hasDiscriminator).toBe(false);
    loaded.model.dispose();
    expect(diff.range).toBeGreaterThan(0.1);
    expect(diff.maxAbs).toBeGreaterThan(0);
    // Each weight moves by at most 2^-11 of itself: the outputs by a small part of their range.
    expect(diff.maxAbs).toBeLessThan(0.1 * diff.range);
  });

  it('the shipped model is F16 only if that keeps the outputs within 1e-2', async () => {
    const { tensors } = await decodeCheckpoint(new Uint8Array(readFileSync(bundledModelPath())));
    const dtypes = new Set([...tensors.values()].map((t) => t.dtype));
    expect(dtypes.size).toBe(1);
    if (dtypes.has('F16')) expect(weights.diff.maxAbs).toBeLessThanOrEqual(1e-2);
    else expect([...dtypes]).toEqual(['F32']);
  });
});
