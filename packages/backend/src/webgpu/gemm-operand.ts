/**
 * How the GEMM kernel reads one operand. A is indexed (row = m, k), B is indexed (row = n, k):
 * both are described by their "row" dimension (M for A, N for B) and the reduction K, so the
 * same loader code serves either side.
 *
 * A thread loads the same rows at every K step, so a loader is split in two WGSL functions:
 *
 *   fn setup<Side>(batchIndex: i32, row: i32) -> State<Side>   once per row, before the K loop
 *   (its body assigns the fields of a variable `st`)
 *   fn load<Side>(st: State<Side>, k: i32) -> f32 | vec4<f32>  at every K step
 *
 * (State<Side> is a struct of the operand's `state` fields). `load` must return zeros outside
 * the operand (row >= rows, k >= K, padding taps...), without branching: it reads a clamped,
 * always valid index and `select`s zero (no divergent control flow on GPUs; branchy loaders
 * also compile several times slower on lavapipe). A vector operand returns 4 consecutive
 * elements along `vector` starting at an index that is a multiple of 4, and its buffer is bound
 * as array<vec4<f32>>: only possible when that dimension's length and the memory layout keep
 * each group of 4 contiguous and aligned.
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
  /** WGSL struct members of the per-row state, e.g. 'base: i32, valid: bool'. */
  state: string;
  /** WGSL statements of setup<Side>(batchIndex, row), assigning the fields of `st`. */
  setup: string;
  /** WGSL body of load<Side>(st, k). */
  load: string;
  /** The i32 uniforms the bodies read, in declaration order (names unique within a shader). */
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
export const loaderType = (op: Pick<GemmOperand, 'vector'>): string =>
  op.vector ? 'vec4<f32>' : 'f32';

/**
 * The end of every load body: element `index` of the buffer where `valid`, else zero, reading
 * element 0 instead of an invalid index (no branch).
 */
export const selectRead = (
  op: Pick<GemmOperand, 'buffer' | 'vector'>,
  index: string,
  valid = 'valid',
): string => {
  const read = op.vector ? `${op.buffer}[i / 4]` : `${op.buffer}[i]`;
  return `  let i = select(0, ${index}, ${valid});
  return select(${loaderType(op)}(0.0), ${read}, ${valid});`;
};

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
