import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmThreading } from '../backends/wasm';
import { hostFusedSuite } from '../fused/host-fused-suite';
import { init } from '../init';
import { createRng } from '../util/rng';
import { relativeMaxError } from './naive-conv-grads';
import { isWasmTrainingKernel } from './register';
import { scaledConv2dFused } from './scaled-conv2d';
import { kernelRuntimeOf } from './simd/kernel-runtime';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * The comparisons of @th's wasm kernels with the cpu backend, run by one test file per thread
 * count: 2 threads (Node's threaded build, shared heap, the pool) and 1 thread (tfjs' ordinary
 * build and heap, the path browsers take). The first wasm start of a test process fixes its
 * thread count, so each file starts wasm in `beforeAll`.
 */
export function simdKernelSuite(threads: number): void {
  /** Run `fn` on cpu and on wasm and return both results. */
  async function onBoth<T>(fn: () => Promise<T>): Promise<{ cpu: T; wasm: T }> {
    await init({ backend: 'cpu' });
    const cpu = await fn();
    await init({ backend: 'wasm', wasmThreads: threads });
    const wasm = await fn();
    return { cpu, wasm };
  }

  beforeAll(async () => {
    await init({ backend: 'wasm', wasmThreads: threads });
  });

  hostFusedSuite('wasm');

  describe(`the wasm backend runs @th SIMD kernels on ${threads} thread(s)`, () => {
    it('started the kernel runtime with that many threads', () => {
      const threading = wasmThreading();
      expect(threading.requested).toBe(threads);
      expect(threading.threads).toBe(threads);
      expect(threading.xnnpackThreads).toBe(1);
      expect(threading.note).toBeUndefined();
      const runtime = kernelRuntimeOf(tf.findBackend('wasm')!)!;
      expect(runtime).not.toBeNull();
      // Two threads need tfjs' threaded build for its shared heap; one thread runs on tfjs'
      // ordinary build, whose heap is not shared (as in browsers without isolation).
      expect(runtime.memory.buffer instanceof SharedArrayBuffer).toBe(threads > 1);
      for (const name of ['Conv2D', 'Slice', 'SplitV', 'Concat', 'Identity', 'Sum', 'Mean']) {
        expect(isWasmTrainingKernel(name)).toBe(true);
      }
    });
  });

  interface ConvCase {
    name: string;
    x: Shape4;
    w: Shape4;
    strides?: number;
    pad: Pad;
  }

  const CONV_CASES: ConvCase[] = [
    {
      name: '3x3 same, 3 -> 5 channels (channel tail)',
      x: [2, 8, 8, 3],
      w: [3, 3, 3, 5],
      pad: 'same',
    },
    { name: '1x1 valid (no padding copy)', x: [1, 5, 6, 4], w: [1, 1, 4, 6], pad: 'valid' },
    { name: '7x7 same on 9x9', x: [1, 9, 9, 2], w: [7, 7, 2, 3], pad: 'same' },
    { name: '3x3 valid, batch 4', x: [4, 7, 6, 3], w: [3, 3, 3, 2], pad: 'valid' },
    {
      name: '2x2 images: pixel groups span rows and images',
      x: [3, 2, 2, 16],
      w: [3, 3, 16, 20],
      pad: 'same',
    },
    {
      name: 'explicit asymmetric padding, 9 -> 17 channels',
      x: [3, 5, 7, 9],
      w: [3, 2, 9, 17],
      pad: [
        [0, 0],
        [2, 0],
        [1, 3],
        [0, 0],
      ],
    },
    {
      name: 'large enough to split over the threads',
      x: [2, 24, 24, 16],
      w: [3, 3, 16, 24],
      pad: 'same',
    },
    {
      name: '4x4 images, 64 -> 64 channels: channel tiles',
      x: [1, 4, 4, 64],
      w: [3, 3, 64, 64],
      pad: 'same',
    },
    {
      name: 'stride 2 (handed back to XNNPACK)',
      x: [2, 9, 9, 3],
      w: [3, 3, 3, 4],
      strides: 2,
      pad: 'same',
    },
  ];

  describe('ThScaledConv2D (scale·w conv + bias in one kernel) equals conv, mul and add on cpu', () => {
    const cases: { name: string; x: Shape4; w: Shape4; bias: boolean }[] = [
      {
        name: '3x3, 3 -> 13 channels (block tail), bias',
        x: [2, 7, 9, 3],
        w: [3, 3, 3, 13],
        bias: true,
      },
      {
        name: '1x1, 8 -> 16 (specialised Ci), no bias',
        x: [1, 5, 6, 8],
        w: [1, 1, 8, 16],
        bias: false,
      },
      { name: '7x7 on 9x9, 19 -> 5, bias', x: [1, 9, 9, 19], w: [7, 7, 19, 5], bias: true },
      {
        name: 'large enough to split over the threads',
        x: [2, 24, 24, 16],
        w: [3, 3, 16, 24],
        bias: true,
      },
    ];
    for (const [index, c] of cases.entries()) {
      it(c.name, async () => {
        const rng = createRng(700 + index);
        const [x, w, b] = [
          rng.normalArray(size(c.x)),
          rng.normalArray(size(c.w)),
          rng.normalArray(c.w[3]),
        ];
        const scale = 0.37;
        const { cpu, wasm } = await onBoth(async () => {
          const [xt, wt, bt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.w), tf.tensor1d(b)];
          const fused = scaledConv2dFused(xt, wt, scale, c.bias ? bt : null);
          if (tf.getBackend() === 'wasm' && !fused) throw new Error('the fused kernel did not run');
          const conv = tf.conv2d(xt, tf.mul(wt, scale) as tf.Tensor4D, 1, 'same');
          const y = fused ?? (c.bias ? tf.add(conv, bt) : conv);
          const out = { shape: y.shape, data: await y.data() };
          tf.dispose([xt, wt, bt, conv, y]);
          return out;
        });
        expect(wasm.shape).toEqual(cpu.shape);
        expect(relativeMaxError(wasm.data, cpu.data)).toBeLessThan(1e-5);
      });
    }

    it('steps aside inside a gradient tape, for even filters and on other backends', async () => {
      await init({ backend: 'wasm', wasmThreads: threads });
      const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
      const w = tf.ones([3, 3, 2, 3]) as tf.Tensor4D;
      const inTape: (tf.Tensor | null)[] = [];
      tf.grads((a: tf.Tensor) => {
        inTape.push(scaledConv2dFused(a as tf.Tensor4D, w, 1, null));
        return tf.sum(a);
      })([x]);
      expect(inTape).toEqual([null]);
      expect(scaledConv2dFused(x, tf.ones([2, 2, 2, 3]) as tf.Tensor4D, 1, null)).toBeNull();
      await init({ backend: 'cpu' });
      expect(scaledConv2dFused(x, w, 1, null)).toBeNull();
      await init({ backend: 'wasm', wasmThreads: threads });
    });
  });

  describe('wasm Conv2D equals the cpu backend', () => {
    for (const [index, c] of CONV_CASES.entries()) {
      it(c.name, async () => {
        const rng = createRng(300 + index);
        const x = rng.normalArray(size(c.x));
        const w = rng.normalArray(size(c.w), 0.3);
        const { cpu, wasm } = await onBoth(async () => {
          const y = tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(w, c.w), c.strides ?? 1, c.pad);
          const out = { shape: y.shape, data: await y.data() };
          tf.dispose(y);
          return out;
        });
        expect(wasm.shape).toEqual(cpu.shape);
        expect(relativeMaxError(wasm.data, cpu.data)).toBeLessThan(1e-5);
        expect(Math.max(...cpu.data.map(Math.abs))).toBeGreaterThan(0.1);
      });
    }

    it('both gradients of a conv large enough for the threads equal the cpu backend', async () => {
      const xs: Shape4 = [2, 16, 16, 24];
      const ws: Shape4 = [3, 3, 24, 20];
      const rng = createRng(42);
      const x = rng.normalArray(size(xs));
      const w = rng.normalArray(size(ws), 0.2);
      const r = rng.normalArray(2 * 16 * 16 * 20);
      const { cpu, wasm } = await onBoth(async () => {
        const [xt, wt, rt] = [
          tf.tensor4d(x, xs),
          tf.tensor4d(w, ws),
          tf.tensor4d(r, [2, 16, 16, 20]),
        ];
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), rt)),
        )([xt, wt]);
        const out = { dx: await dx!.data(), dw: await dw!.data() };
        tf.dispose([xt, wt, rt, dx!, dw!]);
        return out;
      });
      expect(relativeMaxError(wasm.dx, cpu.dx)).toBeLessThan(1e-5);
      expect(relativeMaxError(wasm.dw, cpu.dw)).toBeLessThan(1e-5);
    });
  });

  describe('wasm Slice, SplitV and Concat equal the cpu backend exactly', () => {
    const shape = [2, 3, 4, 5];
    const values = Array.from({ length: size(shape) }, (_, i) => i * 0.5 - 7);

    const cases: [string, () => tf.Tensor[]][] = [
      [
        'channel slice of NHWC',
        () => [tf.slice(tf.tensor4d(values, shape as Shape4), [0, 0, 0, 1], [-1, -1, -1, 3])],
      ],
      [
        'slice in every axis',
        () => [tf.slice(tf.tensor4d(values, shape as Shape4), [1, 1, 2, 1], [1, 2, 2, 3])],
      ],
      [
        'whole-row slice (one run)',
        () => [tf.slice(tf.tensor4d(values, shape as Shape4), [1, 0, 0, 0], [1, -1, -1, -1])],
      ],
      ['1-D slice', () => [tf.slice(tf.tensor1d(values), [5], [17])]],
      [
        'int32 slice',
        () => [
          tf.slice(
            tf.tensor4d(values.map(Math.round), shape as Shape4, 'int32'),
            [0, 1, 1, 0],
            [2, 2, 3, 5],
          ),
        ],
      ],
      [
        'bool slice',
        () => [
          tf.slice(
            tf.tensor2d(
              values.map((v) => v > 0),
              [24, 5],
              'bool',
            ),
            [3, 1],
            [9, 3],
          ),
        ],
      ],
      ['split along channels', () => tf.split(tf.tensor4d(values, shape as Shape4), [1, 3, 1], 3)],
      ['split along rows', () => tf.split(tf.tensor4d(values, shape as Shape4), 3, 1)],
      ['split along the batch', () => tf.split(tf.tensor4d(values, shape as Shape4), 2, 0)],
      [
        'concat along channels with different widths',
        () => [
          tf.concat(
            [
              tf.tensor4d(values, shape as Shape4),
              tf.slice(tf.tensor4d(values, shape as Shape4), [0, 0, 0, 0], [-1, -1, -1, 2]),
            ],
            3,
          ),
        ],
      ],
      [
        'concat along width and batch',
        () => [
          tf.concat(
            [tf.tensor4d(values, shape as Shape4), tf.tensor4d(values, shape as Shape4)],
            2,
          ),
          tf.concat(
            [tf.tensor4d(values, shape as Shape4), tf.tensor4d(values, shape as Shape4)],
            0,
          ),
        ],
      ],
      [
        'concat of 5-D tensors along axis 4',
        () => [
          tf.concat([tf.tensor(values, [2, 3, 2, 2, 5]), tf.tensor(values, [2, 3, 2, 2, 5])], 4),
        ],
      ],
    ];

    for (const [name, make] of cases) {
      it(name, async () => {
        const { cpu, wasm } = await onBoth(async () => {
          const ts = make();
          const out = await Promise.all(
            ts.map(async (t) => ({ shape: t.shape, data: Array.from(await t.data()) })),
          );
          tf.dispose(ts);
          return out;
        });
        expect(wasm).toEqual(cpu);
      });
    }
  });

  describe('wasm Sum and Mean over middle axes equal the cpu backend', () => {
    const cases: [string, number[], number[], 'sum' | 'mean', boolean][] = [
      ['instance-norm mean over H, W (19 channels: 16 + 3)', [2, 5, 7, 19], [1, 2], 'mean', true],
      [
        'mean over H, W of a large map (split over the threads)',
        [2, 64, 64, 40],
        [1, 2],
        'mean',
        true,
      ],
      [
        'bias gradient: sum over N, H, W (7 channels: 4 + 3)',
        [4, 8, 8, 7],
        [0, 1, 2],
        'sum',
        false,
      ],
      ['sum over the middle axis of a 3-D tensor', [5, 11, 6], [1], 'sum', false],
      ['innermost axis (handed back to tfjs)', [3, 4, 5, 6], [3], 'sum', true],
      ['scattered axes (handed back to tfjs)', [3, 4, 5, 6], [0, 2], 'mean', false],
    ];
    for (const [name, shape, axes, op, keepDims] of cases) {
      it(name, async () => {
        const values = createRng(size(shape)).normalArray(size(shape));
        const { cpu, wasm } = await onBoth(async () => {
          const x = tf.tensor(values, shape);
          const y = op === 'sum' ? tf.sum(x, axes, keepDims) : tf.mean(x, axes, keepDims);
          const out = { shape: y.shape, data: await y.data() };
          tf.dispose([x, y]);
          return out;
        });
        expect(wasm.shape).toEqual(cpu.shape);
        expect(relativeMaxError(wasm.data, cpu.data)).toBeLessThan(1e-5);
      });
    }
  });

  describe('wasm Identity', () => {
    it('shares the data, survives disposing its source and leaks nothing', async () => {
      await init({ backend: 'wasm', wasmThreads: 2 });
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const y = tf.clone(x);
      expect(backend.numDataIds()).toBe(ids + 1);
      x.dispose();
      expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
      y.dispose();
      expect(backend.numDataIds()).toBe(ids);
    });
  });
}
