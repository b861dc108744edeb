import { type EpilogueSpec, epilogueFunction } from './gemm-epilogue';
import { fragments, type MatrixPlan, matrixTileThreads } from './gemm-matrix-tiles';
import type { GemmOperand } from './gemm-operand';
import { loadSlots, operandFunctions, slabLoop } from './gemm-staging';
import type { GemmProblem } from './gemm-tiles';

/** Everything the WGSL of one tensor-core GEMM instance depends on (sizes are uniforms). */
export interface MatrixShaderSpec {
  problem: GemmProblem;
  plan: MatrixPlan;
  a: GemmOperand;
  b: GemmOperand;
  /** Store C as vec4 (needs N % 4 === 0; the output buffer is then array<vec4<f32>>). */
  vectorOut: boolean;
  /**
   * Stage B as two f16 terms, hi + lo, and multiply both (precision.ts `splitWeights`): B at
   * about f32 accuracy for twice the multiply-accumulates.
   */
  splitB: boolean;
  /** Invocations per subgroup (fixed on the device; lanes are mapped by local index). */
  subgroupSize: number;
  /**
   * 'native': Dawn's `chromium_experimental_subgroup_matrix` builtins. 'emulated': the same
   * kernel with each subgroup-matrix builtin replaced by plain WGSL that computes its documented
   * result, so the kernel's indexing, staging and epilogue are tested where subgroup matrices do
   * not exist (lavapipe, in CI).
   */
  ops: 'native' | 'emulated';
  /** How the native builtins are spelled (the one the device check passed; default 'template'). */
  spelling?: MatrixSpelling;
  /** Applied to each result as it is copied out (gemm-epilogue.ts); never with split-K. */
  epilogue?: EpilogueSpec;
}

/** The fragment edge (subgroup matrices are 16×16×16, see precision.ts MATRIX_SHAPE). */
const F = 16;

/**
 * WGSL of the tensor-core GEMM, wrapped by tfjs-webgpu's shader header like the tiled kernel
 * (gemm-shader.ts), with the same uniforms, operand loaders, split-K layout and double-buffered
 * K loop (one barrier per slab). The slabs are f16 scalars, k-major: A's slab read as a
 * column-major left matrix (M rows × K columns, stride BM), B's as a row-major right matrix
 * (K rows × N columns, stride BN). Subgroup g (local index / S) owns fragment rows
 * [(g / sgN)·fm, +fm) and columns [(g % sgN)·fn, +fn) of the workgroup's block; every 16 steps of
 * a slab it multiplies fm left by fn right fragments into fm×fn f32 accumulators. The epilogue
 * stores one accumulator at a time to the subgroup's 16×16 f32 scratch in workgroup memory and
 * its lanes copy the part inside C (edges guarded) to the output.
 *
 * Lanes are mapped to subgroups by local index (local index / S), which assumes the device packs
 * a one-dimensional workgroup into subgroups in order, as NVIDIA does; the matrix calls use
 * these per-subgroup offsets, which WGSL's uniformity analysis cannot prove subgroup-uniform,
 * so its subgroup-matrix uniformity diagnostic is off for `main`. Unverified on hardware until
 * the device script (tools/device/mixed-precision.sh) has run.
 */
export function matrixGemmShader(spec: MatrixShaderSpec): string {
  const { plan, a, b, subgroupSize: S } = spec;
  const { bm, bn, bk, sgN } = plan.tile;
  const { fm, fn } = fragments(plan.tile);
  const threads = matrixTileThreads(plan.tile, S);
  const subgroups = threads / S;
  const slotsA = loadSlots('A', a, bm, bk, threads, 'scalar-f16');
  const slotsB = loadSlots(
    'B',
    b,
    bn,
    bk,
    threads,
    spec.splitB ? 'scalar-f16-split' : 'scalar-f16',
  );
  const rights = spec.splitB ? ['tileB', 'tileBLo'] : ['tileB'];
  const ops =
    spec.ops === 'native' ? nativeMatrixOps(spec.spelling ?? 'template') : emulatedOps(S, rights);
  const accumulators: string[] = [];
  const products: string[] = [];
  const copies: string[] = [];
  const loadsA = [...Array(fm).keys()].map(
    (i) =>
      `      let a${i} = ${ops.loadLeft(`u32(slab * ${bk * bm} + kk * ${bm} + (fragRow0 + ${i}) * ${F})`, `${bm}u`)};`,
  );
  const loadsB = [...Array(fn).keys()].flatMap((j) =>
    rights.map(
      (tile, t) =>
        `      let b${j}_${t} = ${ops.loadRight(tile, `u32(slab * ${bk * bn} + kk * ${bn} + (fragCol0 + ${j}) * ${F})`, `${bn}u`)};`,
    ),
  );
  for (let i = 0; i < fm; i++) {
    for (let j = 0; j < fn; j++) {
      const acc = `acc_${i}_${j}`;
      accumulators.push(`  var ${acc} = ${ops.zero};`);
      rights.forEach((tile, t) => {
        products.push(`      ${ops.mma(`a${i}`, `b${j}_${t}`, acc, tile)}`);
      });
      copies.push(`  ${ops.store('u32(sg * 256)', acc)}
  workgroupBarrier();
  ${copyOut(spec, `(fragRow0 + ${i}) * ${F}`, `(fragCol0 + ${j}) * ${F}`, S)}
  workgroupBarrier();`);
    }
  }
  return `enable f16;
${ops.enable}${operandFunctions('A', a)}
${operandFunctions('B', b)}
var<workgroup> tileA: array<f16, ${2 * bk * bm}>;
var<workgroup> tileB: array<f16, ${2 * bk * bn}>;
${spec.splitB ? `var<workgroup> tileBLo: array<f16, ${2 * bk * bn}>;` : ''}
${spec.epilogue ? epilogueFunction(spec.epilogue, spec.vectorOut ? 4 : 1) : ''}
var<workgroup> scratch: array<f32, ${subgroups * F * F}>;
${ops.helpers}
fn main() {
  let tid = i32(localIndex);
  let sg = tid / ${S};
  let lane = tid % ${S};
  let fragRow0 = (sg / ${sgN}) * ${fm};
  let fragCol0 = (sg % ${sgN}) * ${fn};
${slabLoop({
  bm,
  bn,
  bk,
  slotsA,
  slotsB,
  accumulators: accumulators.join('\n'),
  kStep: F,
  inner: [...loadsA, ...loadsB, ...products].join('\n'),
})}
${copies.join('\n')}
}`;
}

/** The lanes of a subgroup copy its scratch fragment (at block offset row, col) into C. */
function copyOut(spec: MatrixShaderSpec, rowOffset: string, colOffset: string, S: number): string {
  const out = (v: string) => (spec.epilogue ? `epilogue(${v}, col, idx)` : v);
  if (spec.vectorOut) {
    // N % 4 == 0 and col % 4 == 0: col < N implies the whole quad is inside.
    return `for (var q = lane; q < ${(F * F) / 4}; q += ${S}) {
    let row = row0 + ${rowOffset} + q / ${F / 4};
    let col = col0 + ${colOffset} + (q % ${F / 4}) * 4;
    let e = sg * 256 + (q / ${F / 4}) * ${F} + (q % ${F / 4}) * 4;
    if (row < uniforms.gM && col < uniforms.gN) {
      let idx = outBase + row * uniforms.gN + col;
      result[idx / 4] =
        ${out('vec4<f32>(scratch[e], scratch[e + 1], scratch[e + 2], scratch[e + 3])')};
    }
  }`;
  }
  return `for (var e = lane; e < ${F * F}; e += ${S}) {
    let row = row0 + ${rowOffset} + e / ${F};
    let col = col0 + ${colOffset} + e % ${F};
    if (row < uniforms.gM && col < uniforms.gN) {
      let idx = outBase + row * uniforms.gN + col;
      result[idx] = ${out('scratch[sg * 256 + e]')};
    }
  }`;
}

/** How the kernel spells the subgroup-matrix operations. */
export interface MatrixOps {
  /** Directives: the extension and, natively, the uniformity rule turned off. */
  enable: string;
  helpers: string;
  zero: string;
  loadLeft(offset: string, stride: string): string;
  loadRight(tile: string, offset: string, stride: string): string;
  /** A statement accumulating left · right (loaded from `rightTile`) into the variable `acc`. */
  mma(left: string, right: string, acc: string, rightTile: string): string;
  /** A statement storing `acc` row-major (stride 16) into `scratch` at `offset`. */
  store(offset: string, acc: string): string;
}

/**
 * How the builtins are spelled. Dawn moved the layout of `subgroupMatrixLoad`/`Store` from a
 * runtime bool argument ('argument': `Load<T>(p, offset, colMajor, stride)`,
 * `Store(p, offset, m, colMajor, stride)`, deprecated in the Dawn of npm `webgpu` 0.6.2, whose
 * H100 computed zeros with it) into the template list ('template': `Load<T, col_major>(p,
 * offset, stride)`, `Store<row_major>(p, offset, m, stride)`). The device check
 * (subgroup-matrix-probe.ts) finds the one that computes the right product.
 */
export type MatrixSpelling = 'template' | 'argument';
export const MATRIX_SPELLINGS: readonly MatrixSpelling[] = ['template', 'argument'];

/** Dawn's `chromium_experimental_subgroup_matrix` builtins (also used by the device probe). */
export function nativeMatrixOps(spelling: MatrixSpelling): MatrixOps {
  const left = `subgroup_matrix_left<f16, ${F}, ${F}>`;
  const right = `subgroup_matrix_right<f16, ${F}, ${F}>`;
  const load = (type: string, tile: string, colMajor: boolean, offset: string, stride: string) =>
    spelling === 'template'
      ? `subgroupMatrixLoad<${type}, ${colMajor ? 'col_major' : 'row_major'}>(&${tile}, ${offset}, ${stride})`
      : `subgroupMatrixLoad<${type}>(&${tile}, ${offset}, ${colMajor}, ${stride})`;
  return {
    // Tint requires subgroup-matrix pointers and offsets to be workgroup-uniform; here they are
    // only subgroup-uniform (each subgroup owns its own tile), which the hardware supports. The
    // rule lives in Tint's `chromium` namespace: spelled `chromium_experimental.…` it was ignored
    // and every tensor-core shader failed to compile on the H100 (found through the device-error
    // warnings; before them, those dispatches silently read back zeros).
    enable:
      'enable chromium_experimental_subgroup_matrix;\ndiagnostic(off, chromium.subgroup_matrix_uniformity);\n',
    helpers: '',
    zero: `subgroup_matrix_result<f32, ${F}, ${F}>()`,
    loadLeft: (offset, stride) => load(left, 'tileA', true, offset, stride),
    loadRight: (tile, offset, stride) => load(right, tile, false, offset, stride),
    mma: (l, r, acc) => `${acc} = subgroupMatrixMultiplyAccumulate(${l}, ${r}, ${acc});`,
    store: (offset, acc) =>
      spelling === 'template'
        ? `subgroupMatrixStore<row_major>(&scratch, ${offset}, ${acc}, ${F}u);`
        : `subgroupMatrixStore(&scratch, ${offset}, ${acc}, false, ${F}u);`,
  };
}

/**
 * Plain-WGSL stand-ins with the documented semantics (Dawn's subgroup_matrix feature document):
 * element [r][c] of a left (M rows × K columns) matrix loaded column-major at `offset` with
 * `stride` sits at offset + c·stride + r, of a right (K rows × N columns) matrix loaded row-major
 * at offset + r·stride + c; the product accumulates in f32; a result stored row-major with stride
 * 16 puts [r][c] at offset + 16·r + c. A "loaded" operand is its (offset, stride) in the tile,
 * read when multiplied (nothing writes that slab in between), and lane l of S holds the
 * accumulator elements l, l + S, ... of the fragment, so the emulation costs 16 multiply-adds per
 * element like the real thing.
 */
function emulatedOps(S: number, rightTiles: readonly string[]): MatrixOps {
  const per = (F * F) / S;
  const mma = (tile: string) => `
fn emuMultiplyAccumulate_${tile}(a: EmuOperand, b: EmuOperand, out: ptr<function, EmuResult>, lane: u32) {
  for (var i = 0u; i < ${per}u; i++) {
    let e = lane + i * ${S}u;
    let r = e / ${F}u;
    let c = e % ${F}u;
    var s = (*out)[i];
    for (var k = 0u; k < ${F}u; k++) {
      s = fma(f32(tileA[a.offset + k * a.stride + r]), f32(${tile}[b.offset + k * b.stride + c]), s);
    }
    (*out)[i] = s;
  }
}`;
  return {
    enable: '',
    helpers: `
struct EmuOperand { offset: u32, stride: u32 };
alias EmuResult = array<f32, ${per}>;
${rightTiles.map(mma).join('\n')}
fn emuStore(offset: u32, m: EmuResult, lane: u32) {
  for (var i = 0u; i < ${per}u; i++) { scratch[offset + lane + i * ${S}u] = m[i]; }
}
`,
    zero: 'EmuResult()',
    loadLeft: (offset, stride) => `EmuOperand(${offset}, ${stride})`,
    loadRight: (_tile, offset, stride) => `EmuOperand(${offset}, ${stride})`,
    mma: (left, right, acc, tile) =>
      `emuMultiplyAccumulate_${tile}(${left}, ${right}, &${acc}, u32(lane));`,
    store: (offset, acc) => `emuStore(${offset}, ${acc}, u32(lane));`,
  };
}
