import { formulaWeights } from '@th/backend/test';
import type { NamedArray } from '../networks';
import { type IResNetParameter, iresnetParameters } from './iresnet-layout';

/**
 * Test helper: the deterministic IResNet weights of tools/python/golden-arcface.py (see its docstring
 * for the formula; k = state-dict index, i = flat index in PyTorch layout, φ = 0.7 i + 1.3 k).
 */
export function goldenIResNetWeights(layers: readonly number[]): Map<string, NamedArray> {
  return formulaWeights(iresnetParameters(layers), (p: IResNetParameter, k) => {
    const field = p.name.slice(p.name.lastIndexOf('.') + 1);
    const s = (i: number) => Math.sin(0.7 * i + 1.3 * k);
    if (p.role === 'conv') return (i) => 0.05 * s(i);
    if (p.role === 'fc') return field === 'weight' ? (i) => 0.01 * s(i) : (i) => 0.1 * s(i);
    if (p.role === 'prelu') return (i) => 0.25 + 0.1 * s(i);
    if (field === 'weight') return (i) => 1 + 0.1 * s(i);
    if (field === 'running_var') return (i) => 1 + 0.5 * s(i);
    return (i) => 0.1 * s(i); // bias, running_mean
  });
}

/** The golden input: NHWC values of x[0, c, h, w] = 0.9 sin(0.05 h + 0.09 w + 1.7 c). */
export function goldenIResNetInput(): Float32Array {
  const x = new Float32Array(112 * 112 * 3);
  for (let h = 0; h < 112; h++) {
    for (let w = 0; w < 112; w++) {
      for (let c = 0; c < 3; c++)
        x[(h * 112 + w) * 3 + c] = 0.9 * Math.sin(0.05 * h + 0.09 * w + 1.7 * c);
    }
  }
  return x;
}
