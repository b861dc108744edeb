import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The activation a GEMM epilogue applies (after scale and bias, before the residual). */
export type EpilogueActivation = 'linear' | 'relu' | 'lrelu';

/**
 * What a GEMM applies to each result element c[row][col] as it is stored, instead of separate
 * elementwise kernels over the whole output (inference of @th/layers' equalized-lr layers:
 * scale, bias, activation and the residual add of a block):
 *
 *   y = act(c · scale + bias[col]) + residual[row][col]
 *
 * with act = relu (max(v, 0)) or leaky ReLU (v > 0 ? v : alpha·v), as the standalone kernels
 * compute them. Under split-K the partial sums are stored plainly and the reduction applies it.
 */
export interface GemmEpilogue {
  scale: number;
  /** [N] per output column, or null. */
  bias: TensorInfo | null;
  activation: EpilogueActivation;
  /** Slope of leaky ReLU for negative values (read only when activation is 'lrelu'). */
  alpha: number;
  /** Added last, laid out like the output ([batch][M][N]), or null. */
  residual: TensorInfo | null;
}

/** What an epilogue's WGSL depends on (scale and alpha are uniforms). */
export interface EpilogueSpec {
  bias: boolean;
  activation: EpilogueActivation;
  residual: boolean;
}

export const epilogueSpec = (e: GemmEpilogue): EpilogueSpec => ({
  bias: e.bias !== null,
  activation: e.activation,
  residual: e.residual !== null,
});

/** Part of the shader key ('' without an epilogue, so plain GEMMs keep their pipelines). */
export const epilogueKey = (e: EpilogueSpec | undefined): string =>
  e ? `e${e.bias ? 'b' : ''}${e.activation}${e.residual ? 'r' : ''}` : '';

/** Buffers an epilogue binds after the GEMM's operands, in order. */
export function epilogueBuffers(e: GemmEpilogue | undefined): TensorInfo[] {
  if (!e) return [];
  return [e.bias, e.residual].filter((t): t is TensorInfo => t !== null);
}

/** Binding names matching `epilogueBuffers`. */
export function epilogueNames(e: EpilogueSpec | undefined): string[] {
  if (!e) return [];
  return [...(e.bias ? ['bias'] : []), ...(e.residual ? ['residual'] : [])];
}

/** The f32 uniforms an epilogue reads (appended after the i32 ones). */
export const EPILOGUE_UNIFORMS = 'eScale : f32, eAlpha : f32,';

export function epilogueUniformData(e: GemmEpilogue): { type: 'float32'; data: number[] }[] {
  return [
    { type: 'float32', data: [e.scale] },
    { type: 'float32', data: [e.alpha] },
  ];
}

/**
 * WGSL `fn epilogue(v, col, idx)` for results stored `components` at a time (1, or 4 along a
 * row: then N % 4 == 0, and bias and residual are bound as vec4 arrays). `col` is the column of
 * the first component, `idx` its flat element index in the output.
 */
export function epilogueFunction(e: EpilogueSpec, components: 1 | 4): string {
  const t = components === 4 ? 'vec4<f32>' : 'f32';
  const lines = ['  var y = v * uniforms.eScale;'];
  if (e.bias) lines.push(`  y = y + bias[${components === 4 ? 'col / 4' : 'col'}];`);
  if (e.activation === 'relu') lines.push(`  y = max(y, ${t}(0.0));`);
  if (e.activation === 'lrelu') lines.push(`  y = select(uniforms.eAlpha * y, y, y > ${t}(0.0));`);
  if (e.residual) lines.push(`  y = y + residual[${components === 4 ? 'idx / 4' : 'idx'}];`);
  return `fn epilogue(v: ${t}, col: i32, idx: i32) -> ${t} {
${lines.join('\n')}
  return y;
}`;
}
