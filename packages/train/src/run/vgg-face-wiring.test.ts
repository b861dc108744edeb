import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { type FeatureNetwork, VGG_FACE_LAYERS } from '@th/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Stage2GeneratorInputs, stage2GeneratorLoss } from '../losses/stage-losses';
import { lossesOf, vggFaceOf } from './run-setup';
import { defaultTrainConfig, type TrainConfig } from './train-config';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

const stage2 = (extra: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultTrainConfig(),
  stage: 2,
  ...extra,
});

/** A tiny stand-in with VGG-Face's layer names: layer i = (i+1)·x, fc8 = 6·spatial mean of x. */
const fakeVggFace: FeatureNetwork = {
  name: 'fake-vgg-face',
  isProxy: true,
  layers: [...VGG_FACE_LAYERS],
  extract: (x) =>
    tf.tidy(() => [
      ...[1, 2, 3, 4, 5].map((k) => tf.mul(x, k) as tf.Tensor4D),
      tf.mul(tf.mean(x, [1, 2], true), 6) as tf.Tensor4D,
    ]),
};

describe('VGG-Face in the trainer', () => {
  it('without weights the VGG-Face terms are 0 and the log says so', async () => {
    const config = stage2();
    expect(config.losses.stage2.vggFacePerLayer).toBe(0.002); // spec default, configured...
    expect(lossesOf(config).stage2.vggFacePerLayer).toBe(0); // ...but forced off without weights
    expect(lossesOf(config).stage2.identity).toBe(0);
    const lines: string[] = [];
    expect(await vggFaceOf(config, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([
      'VGG-Face: no weights given (--vgg-face FILE): VGG-Face perceptual (0.002/layer) and identity (1) loss weights are set to 0',
    ]);
    // Stage 1 has no VGG-Face loss: nothing to load, nothing to say.
    const quiet: string[] = [];
    expect(await vggFaceOf({ ...config, stage: 1 }, (l) => quiet.push(l))).toBeUndefined();
    expect(quiet).toEqual([]);
    // Run configs written before the field existed read as off.
    const old = { ...config } as Partial<TrainConfig>;
    delete old.vggFace;
    expect(lossesOf(old as TrainConfig).stage2.identity).toBe(0);
  });

  it('with a weights file the LSR weights (0.002 per layer, identity 1) reach the loss', () => {
    const losses = lossesOf(stage2({ vggFace: 'vggface.safetensors' }));
    expect(losses.stage2.vggFacePerLayer).toBe(0.002);
    expect(losses.stage2.identity).toBe(1);
    // Only the VGG-Face terms on: fake 0.5, real 0.1 everywhere, so |Δ| = 0.4 in every map.
    const only = {
      ...losses,
      stage2: {
        ...losses.stage2,
        adversarial: 0,
        l1: 0,
        vgg19: 0,
        styleLatentL2: 0,
        layoutLatentL2: 0,
      },
    };
    const fake = tf.fill([2, 4, 4, 3], 0.5) as tf.Tensor4D;
    const real = tf.fill([2, 4, 4, 3], 0.1) as tf.Tensor4D;
    const { total, terms } = stage2GeneratorLoss(
      { fake, real, vggFace: fakeVggFace } as unknown as Stage2GeneratorInputs,
      only,
    );
    // perceptual = Σ_{k=1..5} k·0.4 = 6; identity = 6·0.4 = 2.4; total = 0.002·6 + 1·2.4.
    expect(terms.vggFace!.dataSync()[0]).toBeCloseTo(6, 5);
    expect(terms.identity!.dataSync()[0]).toBeCloseTo(2.4, 5);
    expect(total.dataSync()[0]).toBeCloseTo(0.002 * 6 + 2.4, 5);
  });

  it('a missing weights file fails before training, saying how to convert', async () => {
    await expect(
      vggFaceOf(stage2({ vggFace: '/nonexistent/vf.safetensors' }), () => {}),
    ).rejects.toThrow(/VGG-Face weights not available.*convert-vggface-h5\.py/);
  });
});
