import { type GemmOperand, selectRead, uniformFields } from './gemm-operand';

/** A dense [batches][rows][K] ('row-major') or [batches][K][rows] ('k-major') operand. */
export interface MatrixLayout {
  /** Bound buffer name. */
  buffer: string;
  /** Prefix of this operand's uniform names (unique per shader, e.g. 'a' or 'b'). */
  prefix: string;
  rows: number;
  k: number;
  /** 'row-major': element (row, k) at row·K + k; 'k-major': at k·rows + row. */
  order: 'row-major' | 'k-major';
  /** Matrices in the buffer: 1 (shared by every batch: broadcast) or the GEMM's batch. */
  batches: number;
}

/**
 * A plain matrix as a GEMM operand (matmul operands, the filter of a forward convolution seen
 * as [taps·Cin, Cout], dy seen as [pixels, Cout]). Vector loads run along the contiguous
 * dimension when its length is a multiple of 4.
 */
export function matrixOperand(l: MatrixLayout): GemmOperand {
  const contiguous = l.order === 'row-major' ? 'k' : 'row';
  const contiguousLength = l.order === 'row-major' ? l.k : l.rows;
  const vector = contiguousLength % 4 === 0 ? contiguous : null;
  const { fields, u } = uniformFields(l.prefix, { Rows: l.rows, K: l.k, Batches: l.batches });
  const rowMajor = l.order === 'row-major';
  // Batches is 1 (broadcast: every batch reads matrix 0) or the batch count.
  const setup = `
  let matrix = min(batchIndex, ${u('Batches')} - 1) * ${u('Rows')} * ${u('K')};
  st.base = matrix + ${rowMajor ? `row * ${u('K')}` : 'row'};
  st.valid = row < ${u('Rows')};`;
  const load = `
  let valid = st.valid & (k < ${u('K')});
${selectRead({ buffer: l.buffer, vector }, rowMajor ? 'st.base + k' : `st.base + k * ${u('Rows')}`)}`;
  return {
    buffer: l.buffer,
    vector,
    contiguous,
    state: 'base: i32, valid: bool',
    setup,
    load,
    uniforms: fields,
    key: `matrix-${l.order}-${vector ?? 's'}`,
  };
}
