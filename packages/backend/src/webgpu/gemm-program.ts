import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import {
  EPILOGUE_UNIFORMS,
  epilogueBuffers,
  epilogueKey,
  epilogueNames,
  epilogueSpec,
  epilogueUniformData,
  type GemmEpilogue,
} from './gemm-epilogue';
import { type MatrixShaderSpec, matrixGemmShader } from './gemm-matrix-shader';
import { type MatrixTile, matrixTileThreads, planMixedGemm } from './gemm-matrix-tiles';
import { bufferComponents, type GemmOperand, type UniformField } from './gemm-operand';
import { type GemmShaderSpec, gemmShader, gemmUniforms } from './gemm-shader';
import { cheapestPlan, type GemmPlan, type GemmProblem, planGemm, tileThreads } from './gemm-tiles';
import { gemmCapabilitiesOf } from './gpu-device';
import { fixedSubgroupSize, gemmModeOf } from './precision';
import { SplitKReduceProgram } from './split-k-reduce';

/** One GEMM instance: the tiled kernel (f32 or f16 tiles) or the tensor-core kernel. */
export type GemmKernel =
  | { kind: 'tiled'; spec: GemmShaderSpec }
  | { kind: 'matrix'; spec: MatrixShaderSpec };

/**
 * One GEMM instance as a tfjs-webgpu program: run through `backend.runWebGPUProgram`, which
 * binds the output and inputs, compiles (and caches, by `shaderKey`) the pipeline, writes the
 * uniforms and records the dispatch into tfjs' command stream, so these kernels share its
 * buffers and queue.
 *
 * The WGSL depends on the kernel and its tile, the operands' structure (their `key`s), the
 * vector widths and the precision; sizes travel as i32 uniforms, appended to tfjs' uniform
 * block in `fields` order.
 */
export class GemmProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0], y: [1], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  variableComponents: number[];
  outputComponent: number;
  uniforms: string;
  readonly fields: UniformField[];

  constructor(
    private readonly kernel: GemmKernel,
    outputShape: number[],
    /** The epilogue's values (scale, alpha) when the kernel spec has one. */
    private readonly epilogue?: GemmEpilogue,
  ) {
    const { problem: p, plan, a, b } = kernel.spec;
    this.outputShape = outputShape;
    this.outputComponent = kernel.spec.vectorOut ? 4 : 1;
    const extra = epilogueNames(kernel.spec.epilogue);
    this.variableNames = [a.buffer, b.buffer, ...extra];
    this.variableComponents = [
      bufferComponents(a),
      bufferComponents(b),
      ...extra.map(() => this.outputComponent),
    ];
    let threads: number;
    let tileKey: string;
    if (kernel.kind === 'tiled') {
      const t = kernel.spec.plan.tile;
      threads = tileThreads(t);
      const types = kernel.spec.tileTypes ?? { a: 'f32', b: 'f32' };
      tileKey = `t${t.bm}x${t.bn}x${t.bk}_${t.tm}x${t.tn}_${types.a}${types.b}`;
    } else {
      const { plan: mp, subgroupSize, ops, splitB } = kernel.spec;
      const t = mp.tile;
      threads = matrixTileThreads(t, subgroupSize);
      tileKey = `m${t.bm}x${t.bn}x${t.bk}_${t.sgM}x${t.sgN}_s${subgroupSize}_${ops}${splitB ? '_split' : ''}`;
    }
    this.workgroupSize = [threads, 1, 1];
    this.dispatch = [
      Math.ceil(p.n / plan.tile.bn),
      Math.ceil(p.m / plan.tile.bm),
      p.batch * plan.splits,
    ];
    this.fields = [...gemmUniforms(kernel.spec), ...a.uniforms, ...b.uniforms];
    this.uniforms = this.fields.map((f) => `${f.name} : i32,`).join(' ');
    if (kernel.spec.epilogue) {
      if (!epilogue) throw new Error('GemmProgram: an epilogue spec needs its values');
      this.uniforms += ` ${EPILOGUE_UNIFORMS}`;
    }
    this.shaderKey = [
      'thGemm',
      a.key,
      b.key,
      tileKey,
      `o${this.outputComponent}`,
      epilogueKey(kernel.spec.epilogue),
    ].join('_');
  }

  /** Values of `uniforms`, for runWebGPUProgram. */
  uniformData(): { type: 'int32' | 'float32'; data: number[] }[] {
    const ints = this.fields.map((f) => ({ type: 'int32' as const, data: [f.value] }));
    return this.kernel.spec.epilogue && this.epilogue
      ? [...ints, ...epilogueUniformData(this.epilogue)]
      : ints;
  }

  getUserCode(): string {
    return this.kernel.kind === 'tiled'
      ? gemmShader(this.kernel.spec)
      : matrixGemmShader(this.kernel.spec);
  }
}

/** A GEMM to run: sizes, how to read A and B, and the tensors bound to their buffers. */
export interface GemmRequest {
  problem: GemmProblem;
  a: GemmOperand;
  b: GemmOperand;
  /** Tensors bound to `a.buffer` and `b.buffer`, in that order. */
  inputs: [TensorInfo, TensorInfo];
  /** Shape of the result (its size must be batch·M·N, laid out [batch][M][N]). */
  outputShape: number[];
  /**
   * Program class: tfjs' profiler and pipeline labels show `program.constructor.name`, so each
   * kernel passes its own (empty) subclass of GemmProgram.
   */
  program?: typeof GemmProgram;
  /**
   * Tile and split-K of the tiled kernel to use instead of the planner's choice (tests cover
   * every tile with it).
   */
  plan?: GemmPlan;
  /**
   * B is the weight of a forward pass (a convolution's filter, a matmul's right operand): under
   * mixed precision with `splitWeights` it keeps near-f32 accuracy (precision.ts).
   */
  bIsWeight?: boolean;
  /**
   * Scale, bias, activation and residual applied to C as it is stored (gemm-epilogue.ts): in
   * the GEMM's store phase, or in the split-K reduction.
   */
  epilogue?: GemmEpilogue;
}

/**
 * Tests only: run every f16 GEMM on the tensor-core kernel with its subgroup-matrix builtins
 * emulated in plain WGSL (see MatrixShaderSpec.ops), with lanes grouped by `subgroupSize` and a
 * tile chosen among `tiles`; null switches back. Takes effect where the GEMM path is f16.
 */
export function emulateSubgroupMatrices(
  options: { subgroupSize: number; tiles: readonly MatrixTile[] } | null,
): void {
  emulation = options;
}
let emulation: { subgroupSize: number; tiles: readonly MatrixTile[] } | null = null;

/** The kernel and tile for a request on this backend, by its GEMM path (see precision.ts). */
function gemmKernel(backend: WebGPUBackend, req: GemmRequest): GemmKernel {
  const { path, splitWeights } = gemmModeOf(backend);
  const splitB = splitWeights && req.bIsWeight === true;
  const base = { problem: req.problem, a: req.a, b: req.b, vectorOut: req.problem.n % 4 === 0 };
  // The tiled kernel keeps a split B exact in an f32 tile (no tensor cores to feed).
  const tiled = (plan: GemmPlan): GemmKernel => ({
    kind: 'tiled',
    spec: {
      ...base,
      plan,
      tileTypes: path === 'f32' ? { a: 'f32', b: 'f32' } : { a: 'f16', b: splitB ? 'f32' : 'f16' },
    },
  });
  if (req.plan || path === 'f32') return tiled(req.plan ?? planGemm(req.problem));
  if (emulation) {
    const { subgroupSize, tiles } = emulation;
    const best = cheapestPlan(req.problem, tiles, (t) => matrixTileThreads(t, subgroupSize));
    if (!best) throw new Error('emulateSubgroupMatrices: no tile fits the problem');
    return {
      kind: 'matrix',
      spec: { ...base, plan: best.plan, subgroupSize, ops: 'emulated', splitB },
    };
  }
  const caps = path === 'f16-subgroup-matrix' ? gemmCapabilitiesOf(backend) : null;
  const subgroupSize = caps ? fixedSubgroupSize(caps) : null;
  if (!caps || subgroupSize === null) return tiled(planGemm(req.problem));
  const choice = planMixedGemm(
    req.problem,
    { subgroupSize, workgroupStorage: caps.workgroupStorage, maxThreads: caps.maxInvocations },
    splitB,
  );
  return choice.kind === 'tiled'
    ? tiled(choice.plan)
    : {
        kind: 'matrix',
        spec: {
          ...base,
          plan: choice.plan,
          subgroupSize,
          ops: 'native',
          spelling: caps.subgroupMatrixSpelling ?? 'template',
          splitB,
        },
      };
}

/**
 * Run a GEMM: one dispatch, or with split-K a dispatch writing [batch·S, M, N] partial sums
 * and a second one adding them (f32 has no atomic add in WGSL, and a fixed-order sum keeps
 * results deterministic).
 */
export function runGemm(backend: WebGPUBackend, req: GemmRequest): TensorInfo {
  const planned = gemmKernel(backend, req);
  const { splits } = planned.spec.plan;
  const { m, n, batch } = req.problem;
  const Program = req.program ?? GemmProgram;
  const split = splits > 1;
  const e = req.epilogue;
  const extra = epilogueBuffers(e);
  if (!split) {
    // The epilogue runs in the GEMM's own store phase.
    const kernel = e
      ? ({ ...planned, spec: { ...planned.spec, epilogue: epilogueSpec(e) } } as GemmKernel)
      : planned;
    const program = new Program(kernel, req.outputShape, e);
    const inputs = [...req.inputs, ...extra];
    return backend.runWebGPUProgram(program, inputs, 'float32', program.uniformData());
  }
  const program = new Program(planned, [batch * splits, m, n]);
  const out = backend.runWebGPUProgram(program, req.inputs, 'float32', program.uniformData());
  const reduce = new SplitKReduceProgram(
    req.outputShape,
    splits,
    m * n,
    e ? { spec: epilogueSpec(e), n } : undefined,
  );
  const values = e ? epilogueUniformData(e) : [];
  const sum = backend.runWebGPUProgram(
    reduce,
    [out, ...extra],
    'float32',
    reduce.uniformData(values),
  );
  backend.disposeData(out.dataId);
  return sum;
}
