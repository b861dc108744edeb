import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { encodeCheckpoint } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { smallModel } from '../testing/model';
import { loadModel } from './load-model';

beforeAll(async () => {
  await init({ backend: 'wasm' });
});

describe('loadModel', () => {
  it('restores a saved model exactly (bytes and path), D included', async () => {
    const model = smallModel(7);
    const bytes = await encodeCheckpoint(model.stateDict(), {
      config: model.config,
      preset: 'lsr-64',
      step: 12,
    });
    const path = join(tempDir(), 'm.safetensors');
    writeFileSync(path, bytes);
    const fromBytes = await loadModel(bytes);
    const fromPath = await loadModel(path);
    expect(fromBytes.hasDiscriminator).toBe(true);
    expect(fromPath.meta.step).toBe(12);
    expect(fromPath.source).toBe(path);
    const input = tf.tidy(() =>
      tf.tanh(tf.randomNormal([1, 1, 64, 64, 3], 0, 1, 'float32', 1)),
    ) as tf.Tensor5D;
    const target = tf.tidy(() => tf.reshape(input, [1, 64, 64, 3])) as tf.Tensor4D;
    const run = (m: typeof model) =>
      tf.tidy(() => m.synthesize(m.encode(input, input), target).image);
    const [a, b, c] = [run(model), run(fromBytes.model), run(fromPath.model)];
    expect((await tf.max(tf.abs(tf.sub(a, b))).data())[0]).toBe(0);
    expect((await tf.max(tf.abs(tf.sub(a, c))).data())[0]).toBe(0);
    tf.dispose([a, b, c, input, target]);
    for (const m of [model, fromBytes.model, fromPath.model]) m.dispose();
  });

  it('a training checkpoint loads directly: the optimiser state (optim.*) is skipped', async () => {
    const model = smallModel(9);
    const state = model.stateDict();
    const [name, value] = Object.entries(state)[0]!;
    const moments = {
      [`optim.g.m/${name}`]: tf.onesLike(value),
      [`optim.g.v/${name}`]: tf.onesLike(value),
    };
    const bytes = await encodeCheckpoint(
      { ...state, ...moments },
      { config: model.config, step: 3 },
    );
    const loaded = await loadModel(bytes, { name: 'step-0000003.safetensors' });
    expect(loaded.skippedOptimizerTensors).toBe(2);
    expect(loaded.hasDiscriminator).toBe(true);
    const back = loaded.model.stateDict()[name]!;
    expect((await tf.max(tf.abs(tf.sub(back, value))).data())[0]).toBe(0);
    tf.dispose(Object.values(moments));
    loaded.model.dispose();
    model.dispose();
  });

  it('a generator-only checkpoint loads without D', async () => {
    const model = smallModel(8, false);
    const bytes = await encodeCheckpoint(model.stateDict(), { config: model.config });
    const loaded = await loadModel(bytes, { name: 'g-only.safetensors' });
    expect(loaded.hasDiscriminator).toBe(false);
    expect(loaded.model.discriminator).toBeNull();
    loaded.model.dispose();
    model.dispose();
  });

  it('skips D on request, and refuses a model above maxResolution before building it', async () => {
    const model = smallModel(10);
    const bytes = await encodeCheckpoint(model.stateDict(), { config: model.config });
    const renderOnly = await loadModel(bytes, { discriminator: false });
    expect(renderOnly.hasDiscriminator).toBe(false);
    expect(renderOnly.model.discriminator).toBeNull();
    expect(renderOnly.model.numParams()).toBe(model.numParams() - model.discriminator!.numParams());
    const tensorsBefore = tf.memory().numTensors;
    await expect(loadModel(bytes, { name: 'big.safetensors', maxResolution: 32 })).rejects.toThrow(
      'big.safetensors: resolution 64 is above the 32 allowed here',
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    renderOnly.model.dispose();
    model.dispose();
  });

  it('refuses files that are not checkpoints, or lack a config, with the file named', async () => {
    await expect(loadModel(new Uint8Array([1, 2, 3]), { name: 'junk.bin' })).rejects.toThrow(
      /junk\.bin/,
    );
    await expect(loadModel(join(tempDir(), 'absent.safetensors'))).rejects.toThrow(
      /absent\.safetensors: no such file/,
    );
    const model = smallModel(9, false);
    const noConfig = await encodeCheckpoint(model.stateDict(), { config: null });
    await expect(loadModel(noConfig, { name: 'bare.safetensors' })).rejects.toThrow(
      /bare\.safetensors: checkpoint metadata has no model config/,
    );
    model.dispose();
  });
});
