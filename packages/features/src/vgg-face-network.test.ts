import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import golden from './__fixtures__/vggface-golden.json';
import {
  VGG_FACE_LAYERS,
  type VggFaceMean,
  type VggFaceNetwork,
  vggFaceFromWeights,
  vggFaceParameterCount,
} from './vgg-face-network';
import { goldenImage, goldenVggFaceWeights } from './vgg-face-test-weights';

// VGG16 at 224 is ~15.5 GMAC: only the wasm backend (XNNPACK) runs it in about a second.
beforeAll(async () => {
  await init({ backend: 'wasm' });
});

interface GoldenCase {
  inputSize: number;
  mean: string;
  fc8First32: number[];
  fc8Sum: number;
  fc8SumSquares: number;
  fc8MaxAbs: number;
  convs: Record<string, { shape: number[]; sum: number; sumSquares: number }>;
}

const sumOf = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const sumSquaresOf = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0);

/** Compare one network pass with the numpy float64 reference to 1e-4 relative. */
function expectMatchesGolden(net: VggFaceNetwork, c: GoldenCase): void {
  const image = goldenImage(c.inputSize);
  const features = net.extract(image);
  const fc8 = features[features.length - 1]!.dataSync() as Float32Array;
  expect(fc8.length).toBe(2622);
  // Elements: relative to the largest logit (single logits can sit near 0).
  const maxAbs = fc8.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(Math.abs(maxAbs - c.fc8MaxAbs)).toBeLessThan(1e-4 * c.fc8MaxAbs);
  c.fc8First32.forEach((g, i) => {
    expect(Math.abs(fc8[i]! - g)).toBeLessThan(1e-4 * c.fc8MaxAbs);
  });
  expect(Math.abs(sumSquaresOf(fc8) - c.fc8SumSquares)).toBeLessThan(1e-4 * c.fc8SumSquares);
  // The sum cancels (mixed signs): compare relative to its natural scale √(n·Σx²).
  expect(Math.abs(sumOf(fc8) - c.fc8Sum)).toBeLessThan(1e-4 * Math.sqrt(2622 * c.fc8SumSquares));
  VGG_FACE_LAYERS.slice(0, 5).forEach((name, i) => {
    const g = c.convs[name]!;
    const f = features[i]!;
    expect(f.shape).toEqual([1, ...g.shape]);
    const data = f.dataSync() as Float32Array;
    expect(Math.abs(sumOf(data) - g.sum)).toBeLessThan(1e-4 * g.sum);
    expect(Math.abs(sumSquaresOf(data) - g.sumSquares)).toBeLessThan(1e-4 * g.sumSquares);
  });
  tf.dispose([image, ...features]);
}

const cases = golden.cases as GoldenCase[];

describe('VGG-Face against the numpy reference (tools/python/golden-vggface.py)', () => {
  // Weights are generated once (145 M values); only fc6 depends on the input size.
  let full: Map<string, tf.Tensor>;
  let small: Map<string, tf.Tensor>;
  beforeAll(() => {
    full = goldenVggFaceWeights(224);
    small = new Map(full);
    small.set('fc6/kernel', goldenVggFaceWeights(32, ['fc6']).get('fc6/kernel')!);
  }, 60_000);
  afterAll(() => {
    tf.dispose([...full.values(), small.get('fc6/kernel')!]);
  });

  it('matches at input 32 with both the ImageNet and the VGG-Face mean', () => {
    for (const c of cases.filter((k) => k.inputSize === 32)) {
      const net = vggFaceFromWeights(small, { inputSize: 32, mean: c.mean as VggFaceMean });
      expectMatchesGolden(net, c);
    }
    // The two means must actually give different logits (the option is not ignored).
    expect(cases[0]!.fc8Sum).not.toBeCloseTo(cases[1]!.fc8Sum, 0);
  });

  it('matches at the real input size 224 (fc6 25088x4096), without leaking', () => {
    const c = cases.find((k) => k.inputSize === 224)!;
    const net = vggFaceFromWeights(full);
    const before = tf.memory().numTensors;
    expectMatchesGolden(net, c);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('VGG-Face definition', () => {
  it('has VGG16 parameter count with a 2622-way fc8 (145,002,878 at 224)', () => {
    // Keras VGG16 (ImageNet) has 138,357,544; fc8 4096x1000+1000 → 4096x2622+2622.
    expect(vggFaceParameterCount()).toBe(138_357_544 - 4_097_000 + 10_742_334);
    // At 32 the flatten is 1x1x512, so fc6 shrinks from 25088x4096 to 512x4096.
    expect(vggFaceParameterCount(224) - vggFaceParameterCount(32)).toBe((25088 - 512) * 4096);
  });

  it('resizes other sizes, returns [N,1,1,2622] fc8 and refuses bad options', () => {
    const weights = goldenVggFaceWeights(32, ['conv', 'fc']);
    const net = vggFaceFromWeights(weights, { inputSize: 32 });
    const features = net.extract(tf.zeros([2, 48, 40, 3]) as tf.Tensor4D);
    expect(features.map((f) => f.shape)).toEqual([
      [2, 32, 32, 64],
      [2, 16, 16, 128],
      [2, 8, 8, 256],
      [2, 4, 4, 512],
      [2, 2, 2, 512],
      [2, 1, 1, 2622],
    ]);
    const logits = net.logits(tf.zeros([2, 32, 32, 3]) as tf.Tensor4D);
    expect(logits.shape).toEqual([2, 2622]);
    tf.dispose([...features, logits]);
    expect(() => vggFaceFromWeights(weights, { inputSize: 48 })).toThrow(
      /multiple of 32 \(5 poolings\), got 48/,
    );
    expect(() => vggFaceFromWeights(weights, { inputSize: 64, source: 'w.st' })).toThrow(
      /w.st: tensor "fc6\/kernel" has shape \[512,4096\], expected \[2048,4096\]/,
    );
    expect(() =>
      vggFaceFromWeights(weights, { inputSize: 32, mean: 'bgr' as VggFaceMean }),
    ).toThrow(/mean must be 'imagenet' or 'vggface'/);
    net.dispose();
  });
});
