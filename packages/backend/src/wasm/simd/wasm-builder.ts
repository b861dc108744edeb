/**
 * A small WebAssembly binary writer for the kernels @th generates at run time: one module that
 * imports the tfjs-backend-wasm heap (`env.memory`) and exports functions built instruction by
 * instruction. Only the instructions the kernels use are here (i32 arithmetic, control flow,
 * scalar f32, 128-bit SIMD, bulk memory). Reference: the WebAssembly core specification 2.0,
 * binary format (section 5) and the fixed-width SIMD proposal's opcode table.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];

/**
 * One function: parameters, locals and a body written through chainable instruction methods.
 * Local indices: parameters first (0..), then locals in the order `local()` declared them.
 */
export class FunctionBuilder {
  private readonly locals: ValType[] = [];
  private readonly code: number[] = [];

  constructor(
    readonly exportName: string,
    readonly params: ValType[],
    readonly results: ValType[] = [],
  ) {}

  /** Declare a local; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** Raw bytes (for opcodes without a helper). */
  op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  // Variables and constants.
  get(index: number): this {
    return this.op(0x20, ...uleb(index));
  }
  set(index: number): this {
    return this.op(0x21, ...uleb(index));
  }
  tee(index: number): this {
    return this.op(0x22, ...uleb(index));
  }
  i32(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  f32(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.op(0x43, ...bytes);
  }

  // i32 arithmetic and comparisons.
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  divU(): this {
    return this.op(0x6e);
  }
  remU(): this {
    return this.op(0x70);
  }
  shrU(): this {
    return this.op(0x76);
  }
  and(): this {
    return this.op(0x71);
  }
  or(): this {
    return this.op(0x72);
  }
  eqz(): this {
    return this.op(0x45);
  }
  eq(): this {
    return this.op(0x46);
  }
  ne(): this {
    return this.op(0x47);
  }
  ltU(): this {
    return this.op(0x49);
  }
  gtU(): this {
    return this.op(0x4b);
  }
  geU(): this {
    return this.op(0x4f);
  }
  /** `local += value` (i32). */
  inc(index: number, value: number): this {
    return this.get(index).i32(value).add().set(index);
  }
  /** `local += other local` (i32). */
  incBy(index: number, other: number): this {
    return this.get(index).get(other).add().set(index);
  }

  // Control flow. `block`/`loop`/`if` take no result values here.
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }

  /** local = i32 slot `slot` of the argument block whose address is in local `args`. */
  loadArg(args: number, slot: number, local: number): this {
    return this.get(args)
      .i32Load(slot * 4)
      .set(local);
  }

  // Scalar memory (natural alignment; `offset` is a byte immediate).
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  i32Store(offset = 0): this {
    return this.op(0x36, 2, ...uleb(offset));
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Max(): this {
    return this.op(0x97);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  /** `select`: the first operand if the i32 condition (third) is non-zero, else the second. */
  select(): this {
    return this.op(0x1b);
  }

  // Bulk memory: memory.copy (dst, src, bytes) and memory.fill (dst, byte, bytes).
  memoryCopy(): this {
    return this.op(0xfc, ...uleb(10), 0, 0);
  }
  memoryFill(): this {
    return this.op(0xfc, ...uleb(11), 0);
  }

  // SIMD (0xfd prefix). Alignment hints are 16 bytes for v128, 4 for splats and lanes.
  private simd(opcode: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...rest);
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  /** Load one f32 and splat it into all four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, 2, ...uleb(offset));
  }
  v128Store32Lane(lane: number, offset = 0): this {
    return this.simd(0x5a, 2, ...uleb(offset), lane);
  }
  v128Store64Lane(lane: number, offset = 0): this {
    return this.simd(0x5b, 3, ...uleb(offset), lane);
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  /** i8x16.shuffle of the two v128 operands with 16 byte indices. */
  shuffle(lanes: number[]): this {
    return this.simd(0x0d, ...lanes);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  /** Lane-wise a > b: all ones where true. */
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  /** v128.bitselect(a, b, mask): bits of a where the mask is set, of b elsewhere. */
  bitselect(): this {
    return this.simd(0x52);
  }

  /** The code section entry: locals (one group per local) and the body. */
  encode(): number[] {
    const groups = this.locals.map((t) => [1, t]);
    const body = [...vector(groups), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module of `functions` that imports its memory as `env.memory`. `sharedMemory` must match the
 * memory supplied at instantiation: tfjs' threaded build has a shared memory, its other builds
 * an ordinary one.
 */
export function buildModule(functions: FunctionBuilder[], sharedMemory: boolean): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  // limits: shared memories need a maximum (65536 pages = 4 GiB, what tfjs declares).
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vector([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const declarations = vector(functions.map((_, i) => uleb(i)));
  const exports = vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
  const code = vector(functions.map((f) => f.encode()));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, declarations),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
