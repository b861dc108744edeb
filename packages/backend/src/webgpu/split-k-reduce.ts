import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

const WORKGROUP = 256;

/**
 * Second pass of a split-K GEMM: out[b][e] = Σ_s partial[b·S + s][e] for e < M·N, in split
 * order (deterministic). One thread per output element, or per 4 elements (vec4) when M·N is a
 * multiple of 4. Flat dispatch: tfjs' header passes the global index to `main`, and reshapes
 * the dispatch when it exceeds the per-dimension limit.
 */
export class SplitKReduceProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  variableNames = ['partial'];
  variableComponents: number[];
  outputComponent: number;
  size = true;
  uniforms = 'splits : i32, perBatch : i32,';

  constructor(
    outputShape: number[],
    private readonly splits: number,
    private readonly perBatch: number,
  ) {
    this.outputShape = outputShape;
    const component = perBatch % 4 === 0 ? 4 : 1;
    this.outputComponent = component;
    this.variableComponents = [component];
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const total = outputShape.reduce((a, b) => a * b, 1) / component;
    this.dispatch = [Math.ceil(total / WORKGROUP), 1, 1];
    this.shaderKey = `thSplitKReduce_${component}`;
  }

  /** Values of `uniforms` (per-batch count in buffer elements, i.e. vec4s when vectorised). */
  uniformData(): { type: 'int32'; data: number[] }[] {
    return [
      { type: 'int32', data: [this.splits] },
      { type: 'int32', data: [this.perBatch / this.outputComponent] },
    ];
  }

  getUserCode(): string {
    return `
fn main(index: i32) {
  if (index < uniforms.size) {
    let per = uniforms.perBatch;
    let b = index / per;
    let base = b * uniforms.splits * per + (index - b * per);
    var sum = partial[base];
    for (var s = 1; s < uniforms.splits; s++) {
      sum = sum + partial[base + s * per];
    }
    result[index] = sum;
  }
}`;
  }
}
