import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  EPILOGUE_UNIFORMS,
  type EpilogueSpec,
  epilogueFunction,
  epilogueKey,
  epilogueNames,
} from './gemm-epilogue';

const WORKGROUP = 256;

/**
 * Second pass of a split-K GEMM: out[b][e] = Σ_s partial[b·S + s][e] for e < M·N, in split
 * order (deterministic), then the GEMM's epilogue if it has one (gemm-epilogue.ts). One thread
 * per output element, or per 4 elements (vec4) when M·N is a multiple of 4 (with an epilogue,
 * N too: bias and residual are then read as vec4s). Flat dispatch: tfjs' header passes the
 * global index to `main`, and reshapes the dispatch when it exceeds the per-dimension limit.
 */
export class SplitKReduceProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  variableNames: string[];
  variableComponents: number[];
  outputComponent: number;
  size = true;
  uniforms: string;

  constructor(
    outputShape: number[],
    private readonly splits: number,
    private readonly perBatch: number,
    private readonly epilogue?: { spec: EpilogueSpec; n: number },
  ) {
    this.outputShape = outputShape;
    const vector = perBatch % 4 === 0 && (!epilogue || epilogue.n % 4 === 0);
    const component = vector ? 4 : 1;
    this.outputComponent = component;
    const extra = epilogueNames(epilogue?.spec);
    this.variableNames = ['partial', ...extra];
    this.variableComponents = [component, ...extra.map(() => component)];
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const total = outputShape.reduce((a, b) => a * b, 1) / component;
    this.dispatch = [Math.ceil(total / WORKGROUP), 1, 1];
    this.uniforms = `splits : i32, perBatch : i32,${epilogue ? ` n : i32, ${EPILOGUE_UNIFORMS}` : ''}`;
    this.shaderKey = `thSplitKReduce_${component}${epilogueKey(epilogue?.spec)}`;
  }

  /**
   * Values of `uniforms` (per-batch count in buffer elements, i.e. vec4s when vectorised; the
   * epilogue's scale and alpha follow when it has one).
   */
  uniformData(
    epilogueValues: { type: 'float32'; data: number[] }[] = [],
  ): { type: 'int32' | 'float32'; data: number[] }[] {
    return [
      { type: 'int32', data: [this.splits] },
      { type: 'int32', data: [this.perBatch / this.outputComponent] },
      ...(this.epilogue ? [{ type: 'int32' as const, data: [this.epilogue.n] }] : []),
      ...epilogueValues,
    ];
  }

  getUserCode(): string {
    const e = this.epilogue;
    const c = this.outputComponent;
    // Element index of the first component, and its column (the output is [batch][M][N]).
    const store = e
      ? `let idx = index * ${c};
    result[index] = epilogue(sum, idx % uniforms.n, idx);`
      : 'result[index] = sum;';
    return `
${e ? epilogueFunction(e.spec, c as 1 | 4) : ''}
fn main(index: i32) {
  if (index < uniforms.size) {
    let per = uniforms.perBatch;
    let b = index / per;
    let base = b * uniforms.splits * per + (index - b * per);
    var sum = partial[base];
    for (var s = 1; s < uniforms.splits; s++) {
      sum = sum + partial[base + s * per];
    }
    ${store}
  }
}`;
  }
}
