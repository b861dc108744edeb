import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors } from '@th/backend';
import { describeBackends } from '@th/backend/test';
import { expect, it } from 'vitest';
import golden from '../__fixtures__/golden-arcface.json';
import { floatArrays } from '../fid/safetensors-arrays';
import { arraysToSafetensors } from '../fid/testing-weights';
import { goldenIResNetInput, goldenIResNetWeights } from './golden-iresnet-weights';
import { arcfaceNormalize, createIResNet } from './iresnet';
import { iresnetParameters } from './iresnet-layout';

// Reference: tools/python/golden-arcface.py, an independent float64 NumPy IResNet (layers 1-1-1-1).
describeBackends('IResNet (arcface_torch) against the NumPy golden', () => {
  it('matches the golden embedding to 1e-4 relative, through a safetensors round trip', async () => {
    const weights = goldenIResNetWeights(golden.layers);
    expect(weights.size).toBe(golden.parameters);
    const { tensors } = decodeSafetensors(arraysToSafetensors(weights), 'golden.safetensors');
    const net = createIResNet(
      floatArrays(tensors, 'golden.safetensors', iresnetParameters(golden.layers)),
    );
    expect(net.layers).toEqual([1, 1, 1, 1]);
    const x = tf.tensor4d(goldenIResNetInput(), [1, 112, 112, 3]);
    const before = tf.memory().numTensors;
    const y = net.forward(x);
    expect(tf.memory().numTensors).toBe(before + 1); // only the output survives the forward pass
    const got = await y.data();
    tf.dispose([x, y]);
    net.dispose();
    const ref = golden.output;
    expect(got).toHaveLength(512);
    let maxError = 0;
    let maxRef = 0;
    for (let i = 0; i < ref.length; i++) {
      maxError = Math.max(maxError, Math.abs(got[i]! - ref[i]!));
      maxRef = Math.max(maxRef, Math.abs(ref[i]!));
    }
    // Measured 2026-11-23: see the README (float32 tfjs vs float64 NumPy).
    console.info(
      `IResNet golden on ${tf.getBackend()}: max error / max |ref| = ${(maxError / maxRef).toExponential(2)}`,
    );
    expect(maxError / maxRef).toBeLessThan(1e-4);
  });
});

it('names what is wrong with a state dict of another shape', () => {
  // Zero-filled tensors of the right shapes: only names and shapes matter here.
  const weights = new Map(
    iresnetParameters([1, 1, 1, 1]).map((p) => [
      p.name,
      { shape: p.shape, data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)) },
    ]),
  );
  weights.delete('layer2.0.bn3.running_var');
  weights.set('layer1.0.conv1.weight', { shape: [64, 64, 1, 1], data: new Float32Array(4096) });
  weights.set('module.extra', { shape: [1], data: new Float32Array(1) });
  expect(() => createIResNet(weights)).toThrow(
    /3 problem\(s\): layer1\.0\.conv1\.weight has shape \[64,64,1,1\], expected \[64,64,3,3\]; missing layer2\.0\.bn3\.running_var; unexpected module\.extra/,
  );
  expect(() => createIResNet(new Map())).toThrow(/not an arcface_torch IResNet/);
});

it('lists iresnet100 (3-13-30-3 blocks) with the closed-form parameter count (65.2 M)', () => {
  const params = iresnetParameters([3, 13, 30, 3]);
  const count = params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  // Per block (cin → c): BN1 4cin + conv 9·c·cin + BN2 4c + PReLU c + conv 9c² + BN3 4c, plus
  // in block 0 a 1x1 conv c·cin + BN 4c. Stem 64·27 + BN 4·64 + PReLU 64; head BN 4·512,
  // fc 512·25088 + 512, BN1d 4·512. BN counts include running mean/var (what the file holds).
  let expected = 64 * 27 + 4 * 64 + 64 + 4 * 512 + 512 * 25088 + 512 + 4 * 512;
  let cinStage = 64;
  [3, 13, 30, 3].forEach((blocks, s) => {
    const c = [64, 128, 256, 512][s]!;
    for (let j = 0; j < blocks; j++) {
      const cin = j === 0 ? cinStage : c;
      expected += 4 * cin + 9 * c * cin + 4 * c + c + 9 * c * c + 4 * c;
      if (j === 0) expected += c * cin + 4 * c;
    }
    cinStage = c;
  });
  expect(count).toBe(expected);
  expect(params.filter((p) => p.name.endsWith('.conv1.weight'))).toHaveLength(49);
});

it('normalises 0..255 as (x/255 − 0.5)/0.5', () => {
  expect(Array.from(arcfaceNormalize([0, 127.5, 255, 51]))).toEqual([
    -1,
    0,
    1,
    Math.fround(51 / 127.5 - 1),
  ]);
});
