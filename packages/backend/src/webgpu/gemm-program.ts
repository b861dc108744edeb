import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { bufferComponents, type GemmOperand, type UniformField } from './gemm-operand';
import { type GemmShaderSpec, gemmShader, gemmUniforms } from './gemm-shader';
import { type GemmPlan, type GemmProblem, planGemm, tileThreads } from './gemm-tiles';
import { SplitKReduceProgram } from './split-k-reduce';

/**
 * One GEMM instance as a tfjs-webgpu program: run through `backend.runWebGPUProgram`, which
 * binds the output and inputs, compiles (and caches, by `shaderKey`) the pipeline, writes the
 * uniforms and records the dispatch into tfjs' command stream, so these kernels share its
 * buffers and queue.
 *
 * The WGSL depends on the tile, the operands' structure (their `key`s) and the vector widths;
 * sizes travel as i32 uniforms, appended to tfjs' uniform block in `fields` order.
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
    private readonly spec: GemmShaderSpec,
    outputShape: number[],
  ) {
    const { problem: p, plan, a, b } = spec;
    this.outputShape = outputShape;
    this.variableNames = [a.buffer, b.buffer];
    this.variableComponents = [bufferComponents(a), bufferComponents(b)];
    this.outputComponent = spec.vectorOut ? 4 : 1;
    this.workgroupSize = [tileThreads(plan.tile), 1, 1];
    this.dispatch = [
      Math.ceil(p.n / plan.tile.bn),
      Math.ceil(p.m / plan.tile.bm),
      p.batch * plan.splits,
    ];
    this.fields = [...gemmUniforms(spec), ...a.uniforms, ...b.uniforms];
    this.uniforms = this.fields.map((f) => `${f.name} : i32,`).join(' ');
    const t = plan.tile;
    this.shaderKey = [
      'thGemm',
      a.key,
      b.key,
      `t${t.bm}x${t.bn}x${t.bk}_${t.tm}x${t.tn}`,
      `o${this.outputComponent}`,
    ].join('_');
  }

  /** Values of `uniforms`, for runWebGPUProgram. */
  uniformData(): { type: 'int32'; data: number[] }[] {
    return this.fields.map((f) => ({ type: 'int32', data: [f.value] }));
  }

  getUserCode(): string {
    return gemmShader(this.spec);
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
  /** Tile and split-K to use instead of `planGemm`'s choice (tests cover every tile with it). */
  plan?: GemmPlan;
}

/**
 * Run a GEMM: one dispatch, or with split-K a dispatch writing [batch·S, M, N] partial sums
 * and a second one adding them (f32 has no atomic add in WGSL, and a fixed-order sum keeps
 * results deterministic).
 */
export function runGemm(backend: WebGPUBackend, req: GemmRequest): TensorInfo {
  const plan = req.plan ?? planGemm(req.problem);
  const spec: GemmShaderSpec = {
    problem: req.problem,
    plan,
    a: req.a,
    b: req.b,
    vectorOut: req.problem.n % 4 === 0,
  };
  const { m, n, batch } = req.problem;
  const Program = req.program ?? GemmProgram;
  const split = plan.splits > 1;
  const program = new Program(spec, split ? [batch * plan.splits, m, n] : req.outputShape);
  const out = backend.runWebGPUProgram(program, req.inputs, 'float32', program.uniformData());
  if (!split) return out;
  const reduce = new SplitKReduceProgram(req.outputShape, plan.splits, m * n);
  const sum = backend.runWebGPUProgram(reduce, [out], 'float32', reduce.uniformData());
  backend.disposeData(out.dataId);
  return sum;
}
