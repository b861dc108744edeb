import { type GemmOperand, loaderType } from './gemm-operand';

/**
 * Staging of GEMM operands in workgroup memory, shared by the tiled kernel (gemm-shader.ts) and
 * the tensor-core kernel (gemm-matrix-shader.ts). A slab holds BK reduction steps of `rows`
 * rows (BM of A or BN of B), k-major: element (row r, step k) of slab s sits at
 * s·BK·rows + k·rows + r, as vec4s of 4 consecutive rows (the tiled kernel reads 4 rows at a
 * time) or as scalars (a subgroup-matrix load reads a 16×16 block: column-major for A, whose
 * rows are M, row-major for B, whose rows are N).
 */

/** Element type of a workgroup tile. */
export type TileType = 'f32' | 'f16';

/**
 * Element type and grouping of a workgroup tile. 'scalar-f16-split' stages each element as two
 * f16 terms, hi = the element rounded to f16 (in tile<Side>) and lo = f16(element − hi) (in
 * tile<Side>Lo): their sum is the element to about 2^-22 relative.
 */
export type TileLayout = 'vec4-f32' | 'vec4-f16' | 'scalar-f16' | 'scalar-f16-split';

/** The WGSL functions of one operand's loader (see gemm-operand.ts). */
export function operandFunctions(side: 'A' | 'B', op: GemmOperand): string {
  return `
struct State${side} { ${op.state} };
fn setup${side}(batchIndex: i32, row: i32) -> State${side} {
  var st: State${side};${op.setup}
  return st;
}
fn load${side}(st: State${side}, k: i32) -> ${loaderType(op)} {${op.load}
}`;
}

export interface LoadSlots {
  /** Declaration of the staging registers and per-slot row states. */
  declare: string;
  /** Statements computing each slot's row state (once, before the K loop). */
  setup: string;
  /** Statements loading the slab starting at reduction index `k0` into the registers. */
  load: (k0: string) => string;
  /** Statements writing the registers into slab buffer `slab` of the workgroup tile. */
  store: string;
}

/**
 * The loads of one operand's rows×BK slab, spread over the workgroup's threads: unit u (a vec4
 * or a scalar) goes to thread u % threads, register slot u / threads. Units are numbered along
 * the operand's contiguous memory dimension first, so neighbouring threads read neighbouring
 * addresses. Slot s of thread t is unit t + s·threads; a slot past the last unit is skipped.
 */
export function loadSlots(
  side: 'A' | 'B',
  op: GemmOperand,
  rows: number,
  bk: number,
  threads: number,
  layout: TileLayout,
): LoadSlots {
  const tile = `tile${side}`;
  const reg = `reg${side}`;
  const origin = side === 'A' ? 'row0' : 'col0';
  const quads = rows / 4;
  const scalar = layout === 'scalar-f16' || layout === 'scalar-f16-split';
  const split = layout === 'scalar-f16-split';
  // Elements (vec4s when grouped) per slab.
  const slabSize = scalar ? rows * bk : quads * bk;
  // Staged values are rounded to the tile's type (f16 under mixed precision).
  const cast = (e: string, vector = false) =>
    layout === 'vec4-f32' ? e : `${vector ? 'vec4<f16>' : 'f16'}(${e})`;
  // The tile element of (row, step) expressions.
  const at = (r: string, k: string, t = tile) =>
    scalar
      ? `${t}[base + (${k}) * ${rows} + ${r}]`
      : `${t}[base + (${k}) * ${quads} + (${r}) / 4][(${r}) % 4]`;
  // The statement staging one element `e` at (row, step): rounded, or split into hi + lo.
  const put = (r: string, k: string, e: string) =>
    split
      ? `{ let hi = quantizeToF16(${e}); ${at(r, k)} = f16(hi); ${at(r, k, `${tile}Lo`)} = f16(${e} - hi); }`
      : `${at(r, k)} = ${cast(e)};`;
  let units: number;
  // (row, k) of unit `u` within the slab, and the statement writing register `v` to the tile.
  let coords: [string, string];
  let write: string;
  if (op.vector === 'k') {
    units = (rows * bk) / 4;
    coords = [`u / ${bk / 4}`, `(u % ${bk / 4}) * 4`];
    write = [0, 1, 2, 3].map((c) => put('r', `k + ${c}`, `v[${c}]`)).join(' ');
  } else if (op.vector === 'row') {
    units = quads * bk;
    coords = [`(u % ${quads}) * 4`, `u / ${quads}`];
    // Unit u is (k, quad) = (u / quads, u % quads): exactly vec4 u of the k-major slab.
    write = scalar
      ? [0, 1, 2, 3].map((c) => put(`r + ${c}`, 'k', `v[${c}]`)).join(' ')
      : `${tile}[base + u] = ${cast('v', true)};`;
  } else {
    units = rows * bk;
    coords = op.contiguous === 'k' ? [`u / ${bk}`, `u % ${bk}`] : [`u % ${rows}`, `u / ${rows}`];
    write = put('r', 'k', 'v');
  }
  const slots = Math.ceil(units / threads);
  const guard = units % threads !== 0 ? `if (u < ${units}) ` : '';
  const loop = (inner: string) => `    for (var s = 0; s < ${slots}; s++) {
      let u = tid + s * ${threads};
      ${guard}{
        let r = ${coords[0]};
        let k = ${coords[1]};
        ${inner}
      }
    }`;
  const state = `state${side}`;
  return {
    declare: `  var ${reg}: array<${loaderType(op)}, ${slots}>;\n  var ${state}: array<State${side}, ${slots}>;`,
    setup: loop(`${state}[s] = setup${side}(batch, ${origin} + r);`),
    load: (k0) => loop(`${reg}[s] = load${side}(${state}[s], ${k0} + k);`),
    store: loop(`let base = slab * ${slabSize};\n        let v = ${reg}[s];\n        ${write}`),
  };
}

/**
 * The K loop both GEMM kernels share (gemm-shader.ts, gemm-matrix-shader.ts), so their block
 * origin, split-K layout and slab pipeline cannot drift apart: workgroup (x, y, z) owns columns
 * [x·BN, +BN) and rows [y·BM, +BM) for batch z / S, K split z % S; slabs alternate between two
 * workgroup buffers with one barrier per step, and the next slab's global loads are issued before
 * the current slab is used. `inner` runs for kk = 0, kStep, … < BK; `outBase` is defined after it.
 */
export function slabLoop(spec: {
  bm: number;
  bn: number;
  bk: number;
  slotsA: LoadSlots;
  slotsB: LoadSlots;
  accumulators: string;
  kStep: number;
  inner: string;
}): string {
  const { bm, bn, bk, slotsA, slotsB } = spec;
  return `  let col0 = i32(workgroupId.x) * ${bn};
  let row0 = i32(workgroupId.y) * ${bm};
  let z = i32(workgroupId.z);
  let batch = z / uniforms.gSplits;
  let kStart = (z % uniforms.gSplits) * (uniforms.gSteps * ${bk});
${spec.accumulators}
${slotsA.declare}
${slotsB.declare}
${slotsA.setup}
${slotsB.setup}
${slotsA.load('kStart')}
${slotsB.load('kStart')}
  for (var step = 0; step < uniforms.gSteps; step++) {
    let slab = step % 2;
${slotsA.store}
${slotsB.store}
    workgroupBarrier();
    if (step + 1 < uniforms.gSteps) {
      let kNext = kStart + (step + 1) * ${bk};
${slotsA.load('kNext')}
${slotsB.load('kNext')}
    }
    for (var kk = 0; kk < ${bk}; ${spec.kStep === 1 ? 'kk++' : `kk += ${spec.kStep}`}) {
${spec.inner}
    }
  }
  let outBase = z * uniforms.gM * uniforms.gN;`;
}
