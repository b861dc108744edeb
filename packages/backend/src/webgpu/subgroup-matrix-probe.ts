import { MATRIX_SPELLINGS, type MatrixSpelling, nativeMatrixOps } from './gemm-matrix-shader';

/**
 * A check of the subgroup-matrix builtins as @th's tensor-core kernel spells them, run once when
 * the device is created (where the adapter offers them): one 16×16×16 f16 product through
 * workgroup memory, with a column-major left operand and a row-major right one at offsets and
 * strides that are not the trivial ones, compared exactly with the product computed here (small
 * integers: exact in f16 and f32). The WGSL extension is experimental and its syntax has changed
 * between Dawn versions; a device where the kernel would not compile or computes something else
 * runs the tiled f16 kernel instead, and the log line says why.
 */

interface ProbeDevice {
  createShaderModule(d: { code: string }): {
    getCompilationInfo?(): Promise<{ messages: { type: string; message: string }[] }>;
  };
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): {
    getBindGroupLayout(i: number): unknown;
  };
  createBuffer(d: { size: number; usage: number }): {
    mapAsync(mode: number): Promise<void>;
    getMappedRange(): ArrayBuffer;
    unmap(): void;
    destroy(): void;
  };
  createBindGroup(d: { layout: unknown; entries: unknown[] }): unknown;
  createCommandEncoder(): {
    beginComputePass(): {
      setPipeline(p: unknown): void;
      setBindGroup(i: number, g: unknown): void;
      dispatchWorkgroups(x: number): void;
      end(): void;
    };
    copyBufferToBuffer(a: unknown, ao: number, b: unknown, bo: number, n: number): void;
    finish(): unknown;
  };
  queue: { submit(b: unknown[]): void };
  pushErrorScope(filter: string): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

const N = 16;
/**
 * Where the operands sit in their workgroup arrays (offset, stride): not 0 and not 16, so the
 * check sees offset and stride handled, but 32-byte aligned like the GEMM kernel's fragments
 * (offsets in multiples of 16 f16, strides BM/BN). On the H100 (Dawn, Vulkan) a probe with
 * offsets of 8 and 4 and strides of 24 and 20 f16 read back all zeros in both spellings:
 * cooperative-matrix loads there need aligned addresses, which the kernel always has.
 */
const LEFT = { offset: 16, stride: 32 };
const RIGHT = { offset: 32, stride: 48 };
const left = (r: number, c: number) => ((r * 7 + c * 3) % 11) - 5;
const right = (r: number, c: number) => ((r * 5 + c * 2) % 7) - 3;

export function probeShader(subgroupSize: number, spelling: MatrixSpelling = 'template'): string {
  const ops = nativeMatrixOps(spelling);
  const L = `tileA`;
  const R = `tileB`;
  // Two subgroups, each with its own copy of the operands and its own result fragment, addressed
  // by the subgroup's index, as the GEMM kernel addresses its fragments: offsets that are only
  // subgroup-uniform. Tint rejects those unless the kernel turns its uniformity rule off (on the
  // H100 every tensor-core shader failed to compile that way while a probe with constant offsets
  // passed). The output is the second subgroup's product.
  const copyA = LEFT.stride * N;
  const copyB = RIGHT.stride * N;
  return `enable f16;
${ops.enable}
@group(0) @binding(0) var<storage, read_write> out: array<f32, ${N * N}>;
var<workgroup> ${L}: array<f16, ${LEFT.offset + 2 * copyA}>;
var<workgroup> ${R}: array<f16, ${RIGHT.offset + 2 * copyB}>;
var<workgroup> scratch: array<f32, ${2 * N * N}>;
@compute @workgroup_size(${2 * subgroupSize})
fn main(@builtin(local_invocation_index) li: u32) {
  for (var i = li; i < ${2 * N * N}u; i += ${2 * subgroupSize}u) {
    let copy = i / ${N * N}u;
    let r = i32((i % ${N * N}u) / ${N}u);
    let c = i32(i % ${N}u);
    ${L}[${LEFT.offset}u + copy * ${copyA}u + u32(c) * ${LEFT.stride}u + u32(r)] = f16(((r * 7 + c * 3) % 11) - 5);
    ${R}[${RIGHT.offset}u + copy * ${copyB}u + u32(r) * ${RIGHT.stride}u + u32(c)] = f16(((r * 5 + c * 2) % 7) - 3);
  }
  workgroupBarrier();
  let sg = li / ${subgroupSize}u;
  let a0 = ${ops.loadLeft(`${LEFT.offset}u + sg * ${copyA}u`, `${LEFT.stride}u`)};
  let b0 = ${ops.loadRight(R, `${RIGHT.offset}u + sg * ${copyB}u`, `${RIGHT.stride}u`)};
  var acc = ${ops.zero};
  ${ops.mma('a0', 'b0', 'acc', R)}
  ${ops.store(`sg * ${N * N}u`, 'acc')}
  workgroupBarrier();
  for (var i = li; i < ${N * N}u; i += ${2 * subgroupSize}u) { out[i] = scratch[${N * N}u + i]; }
}`;
}

/** The product the probe must compute, row-major. */
export function probeExpected(): Float32Array {
  const out = new Float32Array(N * N);
  for (let r = 0; r < N; r++)
    for (let c = 0; c < N; c++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += left(r, k) * right(k, c);
      out[r * N + c] = s;
    }
  return out;
}

/** What the device check found: the spelling that computes the product, or why none does. */
export type SubgroupMatrixCheck =
  | { spelling: MatrixSpelling; failure: null }
  | { spelling: null; failure: string };

/**
 * Run the probe in each spelling of the builtins (gemm-matrix-shader.ts MATRIX_SPELLINGS), newest
 * first: the first that compiles and computes the product exactly is the one the kernel uses.
 */
export async function probeSubgroupMatrix(
  device: ProbeDevice,
  subgroupSize: number,
): Promise<SubgroupMatrixCheck> {
  const failures: string[] = [];
  for (const spelling of MATRIX_SPELLINGS) {
    const failure = await probeSpelling(device, subgroupSize, spelling).catch(
      (e: unknown) => `the check threw: ${(e as Error).message}`,
    );
    if (failure === null) return { spelling, failure: null };
    failures.push(`${spelling} spelling: ${failure}`);
  }
  return { spelling: null, failure: failures.join('; ') };
}

/** One spelling: null when the builtins compile and compute the product, else why not. */
async function probeSpelling(
  device: ProbeDevice,
  subgroupSize: number,
  spelling: MatrixSpelling,
): Promise<string | null> {
  const BUFFER = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, STORAGE: 0x80 };
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: probeShader(subgroupSize, spelling) });
  const info = await module.getCompilationInfo?.();
  const compileError = info?.messages.find((m) => m.type === 'error');
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  const bytes = N * N * 4;
  const out = device.createBuffer({ size: bytes, usage: BUFFER.STORAGE | BUFFER.COPY_SRC });
  const read = device.createBuffer({ size: bytes, usage: BUFFER.MAP_READ | BUFFER.COPY_DST });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: out } }],
    }),
  );
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, read, 0, bytes);
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  try {
    if (compileError || error)
      return `the WGSL did not compile: ${compileError?.message ?? error?.message}`;
    await read.mapAsync(1);
    const got = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    const want = probeExpected();
    const bad = want.findIndex((v, i) => got[i] !== v);
    const wrong = want.filter((v, i) => got[i] !== v).length;
    const zeros = got.every((v) => v === 0) ? ', all zeros' : '';
    return bad < 0
      ? null
      : `a 16×16×16 product came out wrong (${wrong} of ${N * N} elements${zeros}; element ${bad}: ${got[bad]}, expected ${want[bad]})`;
  } finally {
    out.destroy();
    read.destroy();
  }
}
