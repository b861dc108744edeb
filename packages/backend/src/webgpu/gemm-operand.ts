/**
 * How the GEMM kernel reads one operand. A is indexed (row = m, k), B is indexed (row = n, k):
 * both are described by their "row" dimension (M for A, N for B) and the reduction K, so the
 * same loader code serves either side. The operand supplies a WGSL function body for
 *
 *   fn load<Side>(batchIndex: i32, row: i32, k: i32) -> f32          (scalar operand)
 *   fn load<Side>(batchIndex: i32, row: i32, k: i32) -> vec4<f32>    (vector operand)
 *
 * which must return zeros outside the operand (row >= rows, k >= K, padding taps...), without
 * branching: it reads a clamped, always valid index and `select`s zero (no divergent control
 * flow on GPUs; branchy loaders also compile several times slower on lavapipe). A vector
 * operand returns 4 consecutive elements along `vector` starting at an index that is a multiple
 * of 4, and its buffer is bound as array<vec4<f32>>: only possible when that dimension's length
 * and the memory layout keep each group of 4 contiguous and aligned.
 *
 * Sizes are uniforms (`uniforms.<name>`), not constants: one compiled pipeline serves every
 * shape of the same structure. That matters where compiling is slow (lavapipe in CI compiles
 * each pipeline with LLVM for seconds) and for inference at varying batch sizes.
 */
export interface GemmOperand {
  /** Name of the bound input buffer (a `variableNames` entry of the program). */
  buffer: string;
  /** Load 4 elements at once along this GEMM dimension, or one element (null). */
  vector: 'row' | 'k' | null;
  /**
   * Which GEMM dimension is contiguous in memory: threads of a workgroup are assigned so that
   * neighbouring threads read neighbouring addresses.
   */
  contiguous: 'row' | 'k';
  /** WGSL body of the loader (without the signature); reads its sizes from `uniforms`. */
  body: string;
  /** The i32 uniforms the body reads, in declaration order (names unique within a shader). */
  uniforms: UniformField[];
  /** Everything the WGSL text depends on besides the uniforms (part of the pipeline key). */
  key: string;
}

/** One i32 field of tfjs' program uniform block. */
export interface UniformField {
  name: string;
  value: number;
}

/** `f32` or `vec4<f32>`: the type a loader returns. */
export const loaderType = (op: GemmOperand): string => (op.vector ? 'vec4<f32>' : 'f32');

/** Index expression into the operand's buffer for an element index (vector buffers hold vec4). */
export const bufferRead = (op: Pick<GemmOperand, 'buffer' | 'vector'>, elementIndex: string) =>
  op.vector ? `${op.buffer}[(${elementIndex}) / 4]` : `${op.buffer}[${elementIndex}]`;

/** Components per buffer element for `variableComponents`. */
export const bufferComponents = (op: GemmOperand): number => (op.vector ? 4 : 1);

/**
 * Uniform fields named `<prefix><Name>` from a record, and a function giving the WGSL
 * expression for one of them.
 */
export function uniformFields<T extends Record<string, number>>(
  prefix: string,
  values: T,
): { fields: UniformField[]; u: (name: keyof T & string) => string } {
  const fields = Object.entries(values).map(([name, value]) => ({ name: prefix + name, value }));
  return { fields, u: (name) => `uniforms.${prefix}${name}` };
}
