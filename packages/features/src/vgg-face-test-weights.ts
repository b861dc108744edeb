import * as tf from '@tensorflow/tfjs-core';
import { formulaWeights } from '@th/backend/test';
import type { VggWeights } from './vgg-conv-stack';
import { VGG_FACE_CONVS, vggFaceDenseLayers } from './vgg-face-network';

// Test helper (not exported from the package): the deterministic weights and image of
// tools/python/golden-vggface.py, computed here independently by the same formulas.

/** 32-bit mix of (index, layer), bit-identical to golden-vggface.py's hash32. */
function hash32(i: number, layer: number): number {
  let h = (Math.imul(i, 0x9e3779b1) ^ Math.imul(layer + 1, 0x85ebca6b)) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * kernel[i] = (hash(i, L) / 2^32 − 0.5)·√(24/fan_in), bias[j] = 2·cos(0.3 j + 1.3 L), for the
 * layers whose name starts with one of `only` (default: all).
 */
export function goldenVggFaceWeights(
  inputSize: number,
  only: readonly string[] = ['conv', 'fc'],
): VggWeights {
  const layers = [
    ...VGG_FACE_CONVS.map(([name, cin, cout]) => ({
      name,
      shape: [3, 3, cin, cout],
      fanIn: 9 * cin,
    })),
    ...vggFaceDenseLayers(inputSize).map(([name, cin, cout]) => ({
      name,
      shape: [cin, cout],
      fanIn: cin,
    })),
  ];
  // Kernel and bias of layer L share L (the layer's index among all layers, kept or not).
  const specs = layers
    .map((l, layer) => ({ ...l, layer }))
    .filter(({ name }) => only.some((prefix) => name.startsWith(prefix)))
    .flatMap(({ name, shape, fanIn, layer }) => [
      { name: `${name}/kernel`, shape, layer, scale: Math.sqrt(24 / fanIn) },
      { name: `${name}/bias`, shape: [shape[shape.length - 1]!], layer, scale: 0 },
    ]);
  const arrays = formulaWeights(specs, ({ name, layer, scale }) =>
    name.endsWith('/kernel')
      ? (i) => (hash32(i, layer) / 4294967296 - 0.5) * scale
      : (j) => 2 * Math.cos(0.3 * j + 1.3 * layer),
  );
  const weights: VggWeights = new Map();
  for (const [name, { shape, data }] of arrays) weights.set(name, tf.tensor(data, [...shape]));
  return weights;
}

/** x[y, x, c] = 0.9·sin(0.11 x + 0.07 (c+1) y + c), RGB in [-1, 1], as [1, size, size, 3]. */
export function goldenImage(size: number): tf.Tensor4D {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++)
        data[(y * size + x) * 3 + c] = 0.9 * Math.sin(0.11 * x + 0.07 * (c + 1) * y + c);
  return tf.tensor4d(data, [1, size, size, 3]);
}
