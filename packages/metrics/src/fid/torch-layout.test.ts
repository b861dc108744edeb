import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldBatchNorm, hwioFilter } from './torch-layout';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('PyTorch → tfjs weight layout', () => {
  it('moves conv weights from [out, in, kh, kw] to [kh, kw, in, out]', () => {
    // w[o, c, y, x] = 1000 o + 100 c + 10 y + x, so every element says where it came from.
    const shape = [2, 3, 2, 2];
    const data = new Float32Array(24);
    for (let o = 0; o < 2; o++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 2; x++)
            data[((o * 3 + c) * 2 + y) * 2 + x] = 1000 * o + 100 * c + 10 * y + x;
    const filter = hwioFilter({ shape, data });
    expect(filter.shape).toEqual([2, 2, 3, 2]);
    const hwio = filter.arraySync();
    expect(hwio[1]![0]![2]![1]).toBe(1000 + 200 + 10);
    expect(hwio[0]![1]![1]![0]).toBe(100 + 1);
    filter.dispose();
  });

  it('folds an eval BatchNorm into s = γ/√(σ² + ε), t = β − μ·s and refuses a negative σ²', () => {
    const vec = (values: number[]) => ({ shape: [values.length], data: new Float32Array(values) });
    const arrays = new Map([
      ['bn.weight', vec([2, 0.5])],
      ['bn.bias', vec([1, -1])],
      ['bn.running_mean', vec([3, 0])],
      ['bn.running_var', vec([3, 0.25])],
    ]);
    const { scale, shift } = foldBatchNorm(arrays, 'bn', 1, 'w.safetensors');
    // σ² + ε = 4 and 1.25: s = 2/2 = 1, 0.5/√1.25; t = 1 − 3·1 = −2, −1 − 0.
    expect(Array.from(scale)).toEqual([1, 0.5 / Math.sqrt(1.25)]);
    expect(Array.from(shift)).toEqual([-2, -1]);
    arrays.set('bn.running_var', vec([1, -0.5]));
    expect(() => foldBatchNorm(arrays, 'bn', 1e-3, 'w.safetensors')).toThrow(
      'w.safetensors: "bn.running_var"[1] is -0.5',
    );
  });
});
