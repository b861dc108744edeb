import * as tf from '@tensorflow/tfjs-core';
import { init, rawToTensor } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint/checkpoint';
import { assertMatch, matchState } from './checkpoint/match-state';
import { type PresetName, presetConfig } from './config/presets';
import { LsrModel } from './model';

/** Deterministic pseudo-random images in [-1, 1]. */
function images(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.tanh(tf.randomNormal(shape, 0, 1, 'float32', seed)));
}

beforeAll(async () => {
  await init({ backend: 'wasm' });
});

describe.each(['lsr-64', 'lsr-128'] as PresetName[])('%s shapes', (preset) => {
  const config = presetConfig(preset);
  const r = config.resolution;
  let model: LsrModel;
  beforeAll(() => {
    model = new LsrModel(config, { discriminator: true }).initialize(1);
  });

  it.each([1, 4, 8])('K = %i: latents, layout, image and logit shapes', (k) => {
    tf.tidy(() => {
      const lat = model.encode(
        images([2, k, r, r, 3], k) as tf.Tensor5D,
        images([2, k, r, r, 3], k + 10) as tf.Tensor5D,
      );
      expect(lat.zs.shape).toEqual([2, config.latentDim]);
      expect(lat.zl.shape).toEqual([2, config.latentDim]);
      const out = model.synthesize(lat, images([2, r, r, 3], 3) as tf.Tensor4D);
      expect(out.image.shape).toEqual([2, r, r, 3]);
      expect(out.layoutLogits.shape).toEqual([2, r, r, 19]);
      expect(out.auxRgb.shape).toEqual([2, r, r, 3]);
      const sums = tf.sum(out.layout, 3);
      expect(tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]).toBeLessThan(1e-5);
      const logit = model.discriminator!.forward(out.image, images([2, r, r, 3], 3) as tf.Tensor4D);
      expect(logit.shape).toEqual([2, 1]);
      expect(Number.isFinite(logit.dataSync()[0]!)).toBe(true);
    });
  });
});

describe('K-shot averaging', () => {
  const config = presetConfig('lsr-64');
  const r = config.resolution;
  let model: LsrModel;
  beforeAll(() => {
    model = new LsrModel(config, { discriminator: false }).initialize(7);
  });

  it('equals encoding each shot alone and averaging by hand', () => {
    tf.tidy(() => {
      const k = 4;
      const shots = images([1, k, r, r, 3], 1) as tf.Tensor5D;
      const lms = images([1, k, r, r, 3], 2) as tf.Tensor5D;
      const together = model.encode(shots, lms);
      const single = Array.from({ length: k }, (_, i) =>
        model.encode(
          tf.slice(shots, [0, i], [1, 1]) as tf.Tensor5D,
          tf.slice(lms, [0, i], [1, 1]) as tf.Tensor5D,
        ),
      );
      const byHand = tf.div(tf.addN(single.map((l) => l.zs)), k);
      const err = tf.max(tf.abs(tf.sub(together.zs, byHand))).dataSync()[0]!;
      const scale = tf.max(tf.abs(byHand)).dataSync()[0]!;
      expect(err / scale).toBeLessThan(1e-5);
      const errL = tf
        .max(tf.abs(tf.sub(together.zl, tf.div(tf.addN(single.map((l) => l.zl)), k))))
        .dataSync()[0]!;
      expect(errL / scale).toBeLessThan(1e-4);
    });
  });

  it('rejects bad inputs with clear errors', () => {
    tf.tidy(() => {
      const ok = images([1, 2, r, r, 3], 1) as tf.Tensor5D;
      expect(() => model.encode(images([1, 2, r, r, 4], 1) as tf.Tensor5D, ok)).toThrow(
        /expected 3 channels/,
      );
      expect(() => model.encode(images([1, 2, 32, 32, 3], 1) as tf.Tensor5D, ok)).toThrow(
        /expected 64x64 images/,
      );
      // The value range is checked only on request (it reads back from the device every call).
      expect(() => model.encode(tf.mul(ok, 255) as tf.Tensor5D, ok)).not.toThrow();
      model.checkRange = true;
      expect(() => model.encode(tf.mul(ok, 255) as tf.Tensor5D, ok)).toThrow(
        /values must be in \[-1, 1\]/,
      );
      model.checkRange = false;
      expect(() =>
        model.encode(
          images([1, 0, r, r, 3], 1) as tf.Tensor5D,
          images([1, 0, r, r, 3], 1) as tf.Tensor5D,
        ),
      ).toThrow(/K must be >= 1/);
      expect(() => model.encode(images([r, r, 3], 1) as tf.Tensor5D, ok)).toThrow(
        /expected rank 5/,
      );
      const lat = model.encode(
        images([2, 1, r, r, 3], 1) as tf.Tensor5D,
        images([2, 1, r, r, 3], 2) as tf.Tensor5D,
      );
      expect(() => model.synthesize(lat, images([3, r, r, 3], 1) as tf.Tensor4D)).toThrow(
        /latents for 2 identities cannot drive 3 targets/,
      );
    });
  });
});

describe('checkpoint round trip', () => {
  it('save, load into a fresh model, compare: bit-identical outputs', async () => {
    const config = presetConfig('lsr-64');
    const r = config.resolution;
    const a = new LsrModel(config).initialize(11);
    const bytes = await encodeCheckpoint(a.stateDict(), { config, preset: 'lsr-64', step: 5 });
    const b = new LsrModel(config).initialize(99);
    const { meta, tensors } = await decodeCheckpoint(bytes, 'mem');
    expect(meta.config).toEqual(config);
    const expected = Object.fromEntries(
      Object.entries(b.stateDict()).map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype }]),
    );
    const report = assertMatch(matchState(expected, tensors));
    const dict = Object.fromEntries(
      report.matched.map((n) => [n, rawToTensor(tensors.get(n)!, n)]),
    );
    b.loadStateDict(dict);
    tf.dispose(Object.values(dict));
    const run = (m: LsrModel) =>
      tf.tidy(() => {
        const lat = m.encode(
          images([1, 2, r, r, 3], 1) as tf.Tensor5D,
          images([1, 2, r, r, 3], 2) as tf.Tensor5D,
        );
        return m.synthesize(lat, images([1, r, r, 3], 3) as tf.Tensor4D).image.dataSync();
      });
    expect(Buffer.from(run(b).buffer).equals(Buffer.from(run(a).buffer))).toBe(true);
  });

  it('loads only E^l and G^l from a stage-1 style partial checkpoint', async () => {
    const config = presetConfig('lsr-64');
    const a = new LsrModel(config).initialize(3);
    const partial = Object.fromEntries(
      Object.entries(a.stateDict()).filter(
        ([k]) => k.startsWith('layoutEncoder.') || k.startsWith('layoutGenerator.'),
      ),
    );
    const { tensors } = await decodeCheckpoint(await encodeCheckpoint(partial, { config }));
    const b = new LsrModel(config).initialize(4);
    const expected = Object.fromEntries(
      Object.entries(b.stateDict()).map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype }]),
    );
    const only = ['layoutEncoder.', 'layoutGenerator.'];
    const report = assertMatch(matchState(expected, tensors, { only }), { only });
    expect(report.matched.length).toBe(Object.keys(partial).length);
    expect(() => assertMatch(matchState(expected, tensors))).toThrow(
      /missing from the file: styleEncoder\./,
    );
  });
});

describe.each([['lsr-224-supp', 1]] as [PresetName, number][])(
  '%s at full size on wasm',
  (preset, fullK) => {
    // Full-size forwards cost ~100 GFLOP each on 2 CPU cores, so the preset runs one full
    // encode + synthesize and checks the other K values through the encoders only; the K-averaging
    // itself is preset-independent (tested above). lsr-224's five networks run at full size in the
    // golden test against torch_lsr (src/golden), with their values checked, not only their shapes.
    it(`encodes K = 1, 4, 8 shots and synthesizes from K = ${fullK}`, () => {
      const config = presetConfig(preset);
      const model = new LsrModel(config, { discriminator: false }).initialize(0);
      for (const k of [1, 4, 8]) {
        tf.tidy(() => {
          const lat = model.encode(
            images([1, k, 224, 224, 3], k) as tf.Tensor5D,
            images([1, k, 224, 224, 3], k + 1) as tf.Tensor5D,
          );
          expect(lat.zs.shape).toEqual([1, 512]);
          expect(lat.zl.shape).toEqual([1, 512]);
          if (k !== fullK) return;
          const out = model.synthesize(lat, images([1, 224, 224, 3], 3) as tf.Tensor4D);
          expect(out.image.shape).toEqual([1, 224, 224, 3]);
          expect(out.layout.shape).toEqual([1, 224, 224, 19]);
          expect(out.image.dataSync().every(Number.isFinite)).toBe(true);
        });
      }
      model.dispose();
    });
  },
);
