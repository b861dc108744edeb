/**
 * Shipping weights in half precision (scripts/inference-checkpoint.ts --f16): the bundled model's
 * full checkpoint as F16 inference weights is half the size, loads into the float32 model
 * (widened exactly), and renders the fixture self-reenactment within the 1e-2 the script allows
 * of the float32 weights, yet not identically (the rounding is real).
 */
import { readFileSync } from 'node:fs';
import { init } from '@th/backend';
import { describe, expect, it } from 'vitest';
import { bundledFullCheckpointPath } from '../node/bundled-model.node-only';
import { FIXTURES } from '../testing/fixtures';
import { inferenceWeights } from '../testing/half-weights';
import { loadModel } from './load-model';

describe('half-precision inference weights', () => {
  it('halve the file and keep the outputs within 1e-2 of float32', async () => {
    await init({ backend: 'wasm' });
    const full = bundledFullCheckpointPath();
    const { f32, f16, diff } = await inferenceWeights(
      new Uint8Array(readFileSync(full)),
      full,
      FIXTURES,
    );
    expect(f16.byteLength).toBeLessThan(f32.byteLength * 0.51);
    expect(f16.byteLength).toBeGreaterThan(f32.byteLength * 0.49);
    const loaded = await loadModel(f16, { name: 'half' });
    expect(Object.keys(loaded.storedDtypes)).toEqual(['F16']);
    expect(loaded.hasDiscriminator).toBe(false);
    loaded.model.dispose();
    expect(diff.range).toBeGreaterThan(0.1);
    expect(diff.maxAbs).toBeGreaterThan(0);
    expect(diff.maxAbs).toBeLessThanOrEqual(1e-2);
    console.log(`bundled model, F16 vs F32 weights (wasm): ${JSON.stringify(diff)}`);
  });
});
