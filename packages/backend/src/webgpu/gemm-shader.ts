import { type EpilogueSpec, epilogueFunction } from './gemm-epilogue';
import { type GemmOperand, type UniformField, uniformFields } from './gemm-operand';
import {
  loadSlots,
  operandFunctions,
  slabLoop,
  type TileLayout,
  type TileType,
} from './gemm-staging';
import { type GemmPlan, type GemmProblem, tileThreads } from './gemm-tiles';

/** Everything the WGSL of one GEMM instance depends on (sizes are uniforms, see gemmUniforms). */
export interface GemmShaderSpec {
  problem: GemmProblem;
  plan: GemmPlan;
  a: GemmOperand;
  b: GemmOperand;
  /** Store C as vec4 (needs N % 4 === 0; the output buffer is then array<vec4<f32>>). */
  vectorOut: boolean;
  /**
   * Element types of the workgroup tiles of A and B: 'f16' rounds each element of that operand
   * to f16 as it is staged (mixed precision; the FMAs stay f32, see precision.ts). Default f32.
   */
  tileTypes?: { a: TileType; b: TileType };
  /** Applied to each result as it is stored (gemm-epilogue.ts); never with split-K. */
  epilogue?: EpilogueSpec;
}

/** The GEMM's own uniforms (the operands add theirs): sizes, split count, K steps per split. */
export function gemmUniforms(spec: {
  problem: GemmProblem;
  plan: { splits: number; tilesPerSplit: number };
}): UniformField[] {
  const { problem: p, plan } = spec;
  return uniformFields('g', {
    M: p.m,
    N: p.n,
    Splits: plan.splits,
    Steps: plan.tilesPerSplit,
  }).fields;
}

/**
 * WGSL of the tiled GEMM, to be wrapped by tfjs-webgpu's shader header (which declares the
 * `result` output, the input buffers, `localIndex`/`workgroupId` and calls `main()`).
 *
 * Workgroup (x, y, z) computes columns [x·BN, +BN) and rows [y·BM, +BM) of C for batch z / S
 * and K split z % S (S = splits). Per step it stages a BK-deep slab of A and B in workgroup
 * memory, k-major (tile[k][row]) so the inner loop reads 4 consecutive rows as one vec4, and
 * loads the next slab into registers while computing on the current one. The slabs alternate
 * between two buffers, so one barrier per step suffices: a buffer is rewritten only after
 * every thread has passed the barrier that follows its last reads. Each thread's TM×TN
 * outputs are vec4 accumulators over rows/columns interleaved at a stride of 4·threads, so the
 * vec4 reads of a quarter-warp hit distinct banks. The outer product is unrolled at generation
 * time; loops with constant trip counts (slots, BK) are left to the GPU compiler to unroll
 * (software Vulkan, lavapipe in CI, compiles unrolled code much more slowly). The step count
 * is a uniform, so the barrier stays in uniform control flow.
 *
 * With S > 1 the output is the [batch·S, M, N] partial sums (reduced by split-k-reduce.ts).
 */
export function gemmShader(spec: GemmShaderSpec): string {
  const { plan, a, b } = spec;
  const types = spec.tileTypes ?? { a: 'f32', b: 'f32' };
  const { bm, bn, bk, tm, tn } = plan.tile;
  const threads = tileThreads(plan.tile);
  const tx = bn / tn; // threads along N
  const ty = bm / tm; // threads along M
  const sizeA = (bk * bm) / 4; // vec4s per slab
  const sizeB = (bk * bn) / 4;
  const layout = (t: TileType): TileLayout => (t === 'f16' ? 'vec4-f16' : 'vec4-f32');
  const slotsA = loadSlots('A', a, bm, bk, threads, layout(types.a));
  const slotsB = loadSlots('B', b, bn, bk, threads, layout(types.b));
  // f16 tiles are widened back to f32 as they are read: the FMAs accumulate in f32.
  const read = (t: TileType, e: string) => (t === 'f16' ? `vec4<f32>(${e})` : e);
  const accumulators: string[] = [];
  const products: string[] = [];
  const stores: string[] = [];
  // The value stored for accumulator expression `v` at column `col`, flat element index `idx`.
  const out = (v: string, col: string, idx: string) =>
    spec.epilogue ? `epilogue(${v}, ${col}, ${idx})` : v;
  for (let i = 0; i < tm; i++) {
    const rowOffset = Math.floor(i / 4) * ty * 4 + (i % 4);
    const av = `a${Math.floor(i / 4)}[${i % 4}]`;
    stores.push(`  {\n    let row = row0 + ${rowOffset} + ty * 4;\n    if (row < uniforms.gM) {`);
    for (let j = 0; j < tn / 4; j++) {
      const acc = `acc_${i}_${j}`;
      accumulators.push(`  var ${acc} = vec4<f32>(0.0);`);
      products.push(`      ${acc} = fma(vec4<f32>(${av}), b${j}, ${acc});`);
      // c<j>, not col<j>: a `let col0` here would shadow the block origin col0 that the next
      // group's column is computed from (it did: columns ≥ 64 of BN = 128 tiles went astray).
      stores.push(`      let c${j} = col0 + ${j * tx * 4} + tx * 4;`);
      if (spec.vectorOut) {
        stores.push(
          `      if (c${j} < uniforms.gN) { let idx = outBase + row * uniforms.gN + c${j}; result[idx / 4] = ${out(acc, `c${j}`, 'idx')}; }`,
        );
      } else {
        for (let c = 0; c < 4; c++) {
          stores.push(
            `      if (c${j} + ${c} < uniforms.gN) { let idx = outBase + row * uniforms.gN + c${j} + ${c}; result[idx] = ${out(`${acc}[${c}]`, `c${j} + ${c}`, 'idx')}; }`,
          );
        }
      }
    }
    stores.push('    }\n  }');
  }
  const readsA = [...Array(tm / 4).keys()].map(
    (i) =>
      `      let a${i} = ${read(types.a, `tileA[slab * ${sizeA} + kk * ${bm / 4} + ${i * ty} + ty]`)};`,
  );
  const readsB = [...Array(tn / 4).keys()].map(
    (j) =>
      `      let b${j} = ${read(types.b, `tileB[slab * ${sizeB} + kk * ${bn / 4} + ${j * tx} + tx]`)};`,
  );
  const half = types.a === 'f16' || types.b === 'f16';
  return `${half ? 'enable f16;\n' : ''}${operandFunctions('A', a)}
${operandFunctions('B', b)}
${spec.epilogue ? epilogueFunction(spec.epilogue, spec.vectorOut ? 4 : 1) : ''}
var<workgroup> tileA: array<vec4<${types.a}>, ${2 * sizeA}>;
var<workgroup> tileB: array<vec4<${types.b}>, ${2 * sizeB}>;

fn main() {
  let tid = i32(localIndex);
  let tx = tid % ${tx};
  let ty = tid / ${tx};
${slabLoop({
  bm,
  bn,
  bk,
  slotsA,
  slotsB,
  accumulators: accumulators.join('\n'),
  kStep: 1,
  inner: [...readsA, ...readsB, ...products].join('\n'),
})}
${stores.join('\n')}
}`;
}
