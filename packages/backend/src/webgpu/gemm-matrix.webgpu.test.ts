import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, setPrecision } from '../init';
import { roundToHalf } from '../io/half-float';
import { createRng } from '../util/rng';
import { matrixGemmShader, nativeMatrixOps } from './gemm-matrix-shader';
import type { MatrixTile } from './gemm-matrix-tiles';
import { MATRIX_TILES, matrixTileThreads } from './gemm-matrix-tiles';
import { emulateSubgroupMatrices } from './gemm-program';
import { gemmUniforms } from './gemm-shader';
import { hoistDirectives } from './gpu-device';
import { maxAbs, outputsOn, relativeMaxError } from './kernel-check';
import { matrixOperand } from './matrix-operand';
import { probeShader } from './subgroup-matrix-probe';

/**
 * The tensor-core GEMM kernel with its subgroup-matrix builtins emulated in plain WGSL (lavapipe
 * has no subgroup matrices): everything but the builtins themselves, i.e. the slab layout the
 * matrix loads read, fragment offsets per subgroup, K steps, split-K, the guarded epilogue and
 * vec4/scalar stores, checked against the cpu backend on f16-rounded operands. The native
 * builtins are checked on the GPU by tools/device/mixed-precision.sh.
 */

/**
 * 2×2 subgroups of 32 lanes, one fragment each, two multiply-accumulates per slab (BK 32): the
 * mapping of subgroups to fragments.
 */
const GRID: MatrixTile = { bm: 32, bn: 32, bk: 32, sgM: 2, sgN: 2, efficiency: 1 };
/**
 * One subgroup owning 2×2 fragments, one multiply-accumulate per slab (BK 16): the fragment
 * offsets within a subgroup. Emulated with 256 lanes, one accumulator element each (lavapipe's
 * compiler takes minutes over emulated fragments spread over fewer lanes).
 */
const WIDE: MatrixTile = { bm: 32, bn: 32, bk: 16, sgM: 1, sgN: 1, efficiency: 1 };

type Shape4 = [number, number, number, number];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function conv(x: Shape4, w: Shape4, seed: number) {
  const rng = createRng(seed);
  const info = tf.backend_util.computeConv2DInfo(x, w, 1, 1, 'same');
  const dyShape: Shape4 = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const values = [
    rng.normalArray(size(x)),
    rng.normalArray(size(w), 0.3),
    rng.normalArray(size(dyShape)),
  ];
  return (half: boolean) => () =>
    tf.tidy(() => {
      const [xv, wv, dyv] = half ? values.map((v) => roundToHalf(v)) : values;
      const [xt, wt, dyt] = [tf.tensor4d(xv!, x), tf.tensor4d(wv!, w), tf.tensor4d(dyv!, dyShape)];
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
      return [
        tf.conv2d(xt, wt, 1, 'same'),
        tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: wt }, {
          ...attrs,
          inputShape: x,
        } as never) as tf.Tensor,
        tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
          ...attrs,
          filterShape: w,
        } as never) as tf.Tensor,
      ];
    });
}

/** Keys of the pipelines tfjs-webgpu has compiled so far. */
function pipelineKeys(): string[] {
  return Object.keys(
    (tf.backend() as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache,
  );
}

/** Pipelines compiled so far whose key names a tensor-core tile. */
const matrixPipelines = () => pipelineKeys().filter((k) => /_m\d+x\d+x\d+_/.test(k));

async function expectMatchesHalfReference(
  name: string,
  run: (half: boolean) => () => tf.Tensor[],
  splitWeights = false,
) {
  const reference = await outputsOn('cpu', run(true));
  await init({ backend: 'webgpu' });
  setPrecision('mixed', { splitWeights });
  const gpu = await outputsOn('webgpu', run(false));
  gpu.values.forEach((v, i) => {
    const err = relativeMaxError(v, reference.values[i]!);
    console.log(
      `${name} output ${i}: relative error vs f16-operand reference ${err.toExponential(2)}`,
    );
    expect(err).toBeLessThan(1e-5);
    expect(maxAbs(reference.values[i]!)).toBeGreaterThan(0.1);
  });
}

describe('tensor-core GEMM kernel, subgroup matrices emulated', () => {
  beforeAll(async () => {
    await init({ backend: 'webgpu', precision: 'mixed' });
  });
  afterAll(() => {
    emulateSubgroupMatrices(null);
    setPrecision('f32');
  });

  it('2×2 subgroups: a convolution with scalar loads and stores (3 -> 5 channels), y, dx, dW', async () => {
    emulateSubgroupMatrices({ subgroupSize: 32, tiles: [GRID] });
    await expectMatchesHalfReference('3x3 3->5', conv([2, 7, 6, 3], [3, 3, 3, 5], 2));
    expect(matrixPipelines().length).toBe(3);
  });

  it('2×2 fragments per subgroup, weights split into hi + lo: matmuls of 4 and 37 rows, transposed operands (vec4 loads along K and along rows), split-K', async () => {
    emulateSubgroupMatrices({ subgroupSize: 256, tiles: [WIDE] });
    const before = matrixPipelines().length;
    const rng = createRng(4);
    const a = rng.normalArray(37 * 40);
    const b = rng.normalArray(40 * 24, 0.3);
    const long = rng.normalArray(600 * 8);
    const longB = rng.normalArray(600 * 24, 0.3);
    // With split weights only A is rounded: the reference rounds A and keeps B exact.
    await expectMatchesHalfReference(
      'matmul',
      (half) => () =>
        tf.tidy(() => {
          const at = tf.tensor2d(half ? roundToHalf(a) : a, [37, 40]);
          const bt = tf.tensor2d(b, [40, 24]);
          const a4 = tf.slice(at, [0, 0], [4, 40]);
          const h = (v: Float32Array) => (half ? roundToHalf(v) : v);
          // K = 600 over an 8 × 24 output: the planner splits K (partial sums, then their sum).
          const lt = tf.tensor2d(h(long), [600, 8]);
          const split = tf.matMul(lt, tf.tensor2d(longB, [600, 24]), true);
          return [
            tf.matMul(at, bt),
            tf.matMul(a4, tf.transpose(bt), false, true),
            split, // also Aᵀ: A read along its rows
          ];
        }),
      true,
    );
    expect(matrixPipelines().some((k) => k.includes('_split'))).toBe(true);
    expect(matrixPipelines().length).toBeGreaterThan(before);
    expect(pipelineKeys().some((k) => k.startsWith('thSplitKReduce'))).toBe(true);
  });

  it('the native WGSL (kernel with and without split weights, device probe) parses: lavapipe rejects only the extension', async () => {
    await init({ backend: 'webgpu' });
    const device = (tf.backend() as unknown as { device: ParsingDevice }).device;
    const a = matrixOperand({
      buffer: 'a',
      prefix: 'A',
      rows: 300,
      k: 64,
      order: 'row-major',
      batches: 1,
    });
    const b = matrixOperand({
      buffer: 'b',
      prefix: 'B',
      rows: 96,
      k: 64,
      order: 'k-major',
      batches: 1,
    });
    const problem = { m: 300, n: 96, k: 64, batch: 1 };
    const plan = { tile: MATRIX_TILES[1]!, splits: 2, tilesPerSplit: 1 };
    for (const [splitB, spelling] of [
      [false, 'template'],
      [true, 'template'],
      [false, 'argument'],
      [true, 'argument'],
    ] as const) {
      const spec = {
        problem,
        plan,
        a,
        b,
        vectorOut: true,
        splitB,
        subgroupSize: 32,
        ops: 'native' as const,
        spelling,
      };
      const fields = [...gemmUniforms(spec), ...a.uniforms, ...b.uniforms];
      const code =
        hoistDirectives(`struct Uniforms { ${fields.map((f) => `${f.name}: i32,`).join(' ')} };
@group(0) @binding(0) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> uniforms: Uniforms;
var<private> localIndex: u32;
var<private> workgroupId: vec3<u32>;
${matrixGemmShader(spec)}
@compute @workgroup_size(${matrixTileThreads(plan.tile, 32)})
fn _start(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) w: vec3<u32>) {
  localIndex = li;
  workgroupId = w;
  main();
}`);
      expect(await errorsOf(device, code)).toEqual([NOT_ALLOWED]);
    }
    expect(await errorsOf(device, probeShader(32, 'template'))).toEqual([NOT_ALLOWED]);
    expect(await errorsOf(device, probeShader(32, 'argument'))).toEqual([NOT_ALLOWED]);
    // The check is not vacuous: a syntax error is reported besides the extension.
    const broken = probeShader(32, 'argument').replace(
      'subgroupMatrixStore(',
      'subgroupMatrixStore((',
    );
    expect((await errorsOf(device, broken)).length).toBeGreaterThan(0);
    expect(await errorsOf(device, broken)).not.toEqual([NOT_ALLOWED]);
  });
  it('the native shaders turn off a uniformity rule that Tint knows (an unknown namespace is ignored silently)', async () => {
    await init({ backend: 'webgpu' });
    const device = (tf.backend() as unknown as { device: ParsingDevice }).device;
    // Each subgroup addresses its own fragments: offsets that are subgroup-uniform only. Tint
    // rejects that unless its rule is off; spelled `chromium_experimental.…` the directive parsed
    // without a word and every tensor-core shader failed to compile on the H100.
    const rules = [
      ...nativeMatrixOps('template').enable.matchAll(/diagnostic\(off, ([\w.]+)\)/g),
    ].map((m) => m[1]!);
    expect(rules).toEqual(['chromium.subgroup_matrix_uniformity']);
    expect(probeShader(32)).toContain('diagnostic(off, chromium.subgroup_matrix_uniformity)');
    const warningsOf = async (rule: string) => {
      const code = `diagnostic(off, ${rule});\n@compute @workgroup_size(1) fn main() {}`;
      const info = await device.createShaderModule({ code }).getCompilationInfo();
      return info.messages.map((m) => m.message).filter((m) => m.includes('unrecognized'));
    };
    expect(await warningsOf(rules[0]!)).toEqual([]);
    // The check can fail: a rule Tint does not know in its namespace is reported.
    expect((await warningsOf('chromium.subgroup_matrix_uniformity_typo')).length).toBe(1);
  });
});

const NOT_ALLOWED =
  "extension 'chromium_experimental_subgroup_matrix' is not allowed in the current environment";

interface ParsingDevice {
  createShaderModule(d: { code: string }): {
    getCompilationInfo(): Promise<{ messages: { type: string; message: string }[] }>;
  };
  pushErrorScope(filter: string): void;
  popErrorScope(): Promise<unknown>;
}

/** The error messages of compiling `code` (Tint reports syntax errors of the whole module first). */
async function errorsOf(device: ParsingDevice, code: string): Promise<string[]> {
  // In an error scope: the invalid module is expected, not a GPU error of the run.
  device.pushErrorScope('validation');
  const info = await device.createShaderModule({ code }).getCompilationInfo();
  await device.popErrorScope();
  return info.messages.filter((m) => m.type === 'error').map((m) => m.message);
}
