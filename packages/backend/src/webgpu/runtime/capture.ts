import * as tf from '@tensorflow/tfjs-core';
import { webgpuRuntime } from './install';
import {
  emptyTensor,
  type GpuBindGroupEntry,
  type GpuBuffer,
  type GpuCommandEncoder,
  type GpuComputePass,
  type GpuComputePipeline,
  gpuBufferOf,
  holdUntilSubmit,
  TENSOR_BUFFER_USAGE,
  type WebGPUBackendInternals,
  webgpuInternals,
} from './internals';
import { trackRuntimeBytes } from './runtime-memory';

/** A tensor the graph reads but does not own: it must keep its buffer (and a variable its data). */
interface External {
  dataId: object;
  buffer: GpuBuffer;
  variable: tf.Variable | null;
  /** A recorded copy or clear writes it (a variable a training step updates in place). */
  written: boolean;
}

type Command =
  | {
      kind: 'dispatch';
      pipeline: GpuComputePipeline;
      group: unknown;
      x: number;
      y: number;
      z: number;
    }
  | {
      kind: 'copy';
      src: GpuBuffer;
      srcOffset: number;
      dst: GpuBuffer;
      dstOffset: number;
      size: number;
    }
  | { kind: 'clear'; buffer: GpuBuffer; offset: number | undefined; size: number | undefined };

/**
 * Data the capture wrote with `queue.writeBuffer` (values made on the CPU: new tensors, results
 * of ops tfjs ran on the CPU), kept until the capture ends: those a replay needs become copies
 * from a graph-owned buffer.
 */
interface Upload {
  kind: 'upload';
  bytes: Uint8Array;
  dst: GpuBuffer;
  dstOffset: number;
  /** The tensor whose values these are (null: a write outside `uploadToGPU`, e.g. uniforms). */
  dataId: object | null;
}

/**
 * A recorded sequence of GPU commands that computes `outputs` from `inputs`, replayed without
 * tfjs (CUDA-graph style). A call through tfjs costs tens of microseconds of JavaScript and Dawn
 * work per kernel (shader keys, uniforms, bind groups, tape bookkeeping); a replay costs three
 * native calls per kernel, so a small network's per-call cost falls from the kernel count times
 * that overhead to nearly its GPU time.
 *
 * The graph owns every buffer its commands touch: inputs and outputs (kept tensors), the
 * intermediates (taken out of tfjs' pool at capture) and one buffer of the values the capture
 * uploaded from the CPU that a replay must write again. Tensors it merely read (weights) must stay
 * alive and unchanged: `run` checks each one still holds the same buffer and throws otherwise
 * (capture again after loading new weights).
 */
export class CapturedGraph {
  private disposed = false;

  constructor(
    private readonly be: WebGPUBackendInternals,
    private readonly commands: Command[],
    private readonly inputs: tf.Tensor[],
    private readonly outputs: tf.Tensor[],
    private readonly externals: External[],
    private readonly owned: GpuBuffer[],
  ) {}

  /** Number of kernels one replay dispatches. */
  get kernelCount(): number {
    return this.commands.filter((c) => c.kind === 'dispatch').length;
  }

  /** Run the recorded commands on new input values; returns new output tensors (caller owns). */
  run(inputs: readonly tf.Tensor[]): tf.Tensor[] {
    if (this.disposed) throw new Error('CapturedGraph.run: the graph was disposed');
    if (tf.getBackend() !== 'webgpu' || webgpuInternals() !== this.be)
      throw new Error('CapturedGraph.run: captured on another backend instance');
    if (inputs.length !== this.inputs.length)
      throw new Error(
        `CapturedGraph.run: ${inputs.length} inputs, captured with ${this.inputs.length}`,
      );
    inputs.forEach((t, i) => {
      const want = this.inputs[i]!;
      if (t.shape.join() !== want.shape.join() || t.dtype !== want.dtype)
        throw new Error(
          `CapturedGraph.run: input ${i} is ${t.dtype} [${t.shape}], captured as ${want.dtype} [${want.shape}]`,
        );
    });
    const stale = this.stale();
    if (stale) throw new Error(`CapturedGraph.run: ${stale}; capture again`);
    const be = this.be;
    const sources = inputs.map((t) => gpuBufferOf(be, t));
    const outs = this.outputs.map((o) => emptyTensor(be, o.shape, o.dtype as 'float32'));
    be.ensureCommandEncoderReady();
    be.endComputePassEncoder();
    const encoder = be.commandEncoder!;
    inputs.forEach((t, i) => {
      if (t.size === 0) return;
      encoder.copyBufferToBuffer(sources[i]!, 0, gpuBufferOf(be, this.inputs[i]!), 0, t.size * 4);
      holdUntilSubmit(be, t);
    });
    replay(encoder, this.commands);
    this.outputs.forEach((o, i) => {
      if (o.size === 0) return;
      encoder.copyBufferToBuffer(gpuBufferOf(be, o), 0, outs[i]!.buffer, 0, o.size * 4);
      holdUntilSubmit(be, outs[i]!.tensor);
    });
    be.submitQueue();
    // A tensor the graph wrote in place (a variable) may hold values cached on the CPU by an
    // earlier read-back; tfjs would return those, or compute with them, instead of the new ones.
    for (const e of this.externals) if (e.written) be.tensorMap.get(e.dataId).values = null;
    return outs.map((o) => o.tensor);
  }

  /**
   * Why `run` would refuse now (a tensor the graph reads or writes, e.g. a variable, was
   * disposed or reassigned since capture), or null when it can run.
   */
  stale(): string | null {
    if (this.disposed) return 'the graph was disposed';
    for (const e of this.externals) {
      const data = this.be.tensorMap.has(e.dataId) ? this.be.tensorMap.get(e.dataId) : null;
      if (!data || data.resource !== e.buffer || (e.variable && e.variable.dataId !== e.dataId))
        return `${e.variable ? `variable "${e.variable.name}"` : 'a tensor the graph reads'} was disposed or reassigned since capture`;
    }
    return null;
  }

  /** Free the graph's buffers and tensors. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.inputs, ...this.outputs]);
    for (const b of this.owned) {
      b.destroy();
      trackRuntimeBytes(-b.size);
    }
  }
}

function replay(encoder: GpuCommandEncoder, commands: Command[]): void {
  let pass: GpuComputePass | null = null;
  let pipeline: GpuComputePipeline | null = null;
  for (const c of commands) {
    if (c.kind === 'dispatch') {
      if (!pass) {
        pass = encoder.beginComputePass();
        pipeline = null;
      }
      if (c.pipeline !== pipeline) {
        pass.setPipeline(c.pipeline);
        pipeline = c.pipeline;
      }
      pass.setBindGroup(0, c.group);
      pass.dispatchWorkgroups(c.x, c.y, c.z);
      continue;
    }
    if (pass) {
      pass.end();
      pass = null;
    }
    if (c.kind === 'copy')
      encoder.copyBufferToBuffer(c.src, c.srcOffset, c.dst, c.dstOffset, c.size);
    else encoder.clearBuffer(c.buffer, c.offset, c.size);
  }
  pass?.end();
}

/**
 * Record what `fn` does on the GPU, for replay with `CapturedGraph.run`. `fn` must be a pure
 * function of its inputs' values and of tensors that outlive the graph (weights): the same
 * kernels at the same shapes every call, no read-backs (refused: what follows one would depend
 * on the example's values). It runs once here (eagerly, through tfjs, with tfjs-webgpu's CPU
 * forwarding off so that every weight it reads is a GPU buffer `run` can check). Values created
 * on the CPU during the call (per-call constants) are recorded with the kernels and uploaded
 * again in place by each replay. Needs WebGPU with @th's runtime (its writeBuffer uploads and
 * cached uniforms keep the recorded bind groups valid); returns null elsewhere, so callers fall
 * back to eager calls.
 */
export function captureGraph(
  fn: (inputs: tf.Tensor[]) => tf.Tensor[],
  exampleInputs: readonly tf.Tensor[],
): CapturedGraph | null {
  const be = webgpuInternals();
  const runtime = webgpuRuntime();
  if (!be || !runtime?.uploads || !runtime.bindCache) return null;
  for (const t of exampleInputs) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(`captureGraph: inputs must be float32 or int32, got ${t.dtype}`);
  }
  const { pool } = runtime;
  const cap = runtime.options.maxPooledFreeBytes;
  pool.setMaxFreeBytes(Number.POSITIVE_INFINITY); // nothing the recording uses may be destroyed
  be.endComputePassEncoder();
  if (be.commandEncoder) be.submitQueue();
  // tfjs-webgpu runs small ops whose inputs all lie on the CPU there (WEBGPU_CPU_FORWARD). Their
  // results would enter the graph as constants: right for constants, but a weight read that way
  // leaves no buffer for `run` to check, so a reassigned variable would go unnoticed. With it
  // off, every tensor the graph reads is a GPU buffer (inputs, weights) or an upload replayed
  // from the recording (per-call constants), at the price of a few tiny kernels.
  const cpuForward = tf.env().getBool('WEBGPU_CPU_FORWARD');
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  // Undone when the capture ends, failed or not, in reverse order: every patch, then the flag.
  const restore: Array<() => void> = [() => tf.env().set('WEBGPU_CPU_FORWARD', cpuForward)];

  // Graph-owned inputs: copies of the examples in buffers of their own (made on the GPU).
  const inputs = exampleInputs.map((t) => tf.keep(tf.tidy(() => tf.add(t, tf.zerosLike(t)))));
  // Submit so the next command encoder is created (and recorded) through the patch below.
  be.endComputePassEncoder();
  if (be.commandEncoder) be.submitQueue();
  const groupBuffers = new Map<unknown, GpuBuffer[]>();
  const boundIds = new Map<GpuBuffer, object>();
  const acquired = new Set<GpuBuffer>();
  let unsupported: string | null = null;

  const device = be.device;
  const patch = <T extends object, K extends keyof T>(obj: T, key: K, value: T[K]) => {
    const old = obj[key];
    obj[key] = value;
    restore.push(() => {
      obj[key] = old;
    });
  };
  const createEncoder = device.createCommandEncoder.bind(device);
  patch(device, 'createCommandEncoder', () => recordingEncoder(createEncoder()));
  const createBindGroup = device.createBindGroup.bind(device);
  patch(device, 'createBindGroup', (descriptor) => {
    const group = createBindGroup(descriptor);
    groupBuffers.set(
      group,
      (descriptor.entries as GpuBindGroupEntry[]).map((e) => e.resource.buffer),
    );
    return group;
  });
  const acquire = be.bufferManager.acquireBuffer.bind(be.bufferManager);
  patch(be.bufferManager, 'acquireBuffer', (size, usage, mapped, reuse) => {
    const b = acquire(size, usage, mapped, reuse);
    acquired.add(b);
    return b;
  });
  // Values written from the CPU during the capture: a replay repeats none of them unless they
  // are recorded (see `replayNeedsUpload`).
  const recording: Array<Command | Upload> = [];
  let uploading: object | null = null;
  const upload = be.uploadToGPU.bind(be);
  patch(be, 'uploadToGPU', (dataId: object) => {
    const outer = uploading;
    uploading = dataId;
    try {
      upload(dataId);
    } finally {
      uploading = outer;
    }
  });
  const queue = be.queue;
  const writeBuffer = queue.writeBuffer.bind(queue);
  patch(queue, 'writeBuffer', (buffer, offset, data, dataOffset = 0, size) => {
    recording.push({
      kind: 'upload',
      bytes: bytesOf(data, dataOffset, size),
      dst: buffer,
      dstOffset: offset,
      dataId: uploading,
    });
    writeBuffer(buffer, offset, data, dataOffset, size);
  });
  // A read-back makes what follows depend on the example inputs' values (a data-dependent
  // shape, a branch, tfjs' CPU path for rank-5 tiles), which no replay recomputes. Values
  // already on the CPU (constants) are no read-back.
  const reader = be as unknown as {
    readSync(dataId: object): unknown;
    read(dataId: object): Promise<unknown>;
  };
  for (const name of ['readSync', 'read'] as const) {
    const original = reader[name].bind(be) as (dataId: object) => never;
    patch(reader, name, (dataId: object) => {
      if (be.tensorMap.has(dataId) && be.tensorMap.get(dataId).values == null)
        unsupported ??= `a read-back of GPU values (${name}: dataSync, data, or a kernel that reads its input on the CPU)`;
      return original(dataId);
    });
  }
  const internals = be as unknown as { tensorToBinding(t: tf.TensorInfo): unknown };
  const toBinding = internals.tensorToBinding.bind(be);
  patch(internals, 'tensorToBinding', (t: tf.TensorInfo) => {
    const binding = toBinding(t) as { buffer?: GpuBuffer } | null;
    // Shared scalar constants (external) are permanent: nothing to check for them.
    if (binding?.buffer && !be.tensorMap.get(t.dataId).external)
      boundIds.set(binding.buffer, t.dataId);
    return binding;
  });

  function recordingEncoder(encoder: GpuCommandEncoder): GpuCommandEncoder {
    const begin = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (descriptor) => {
      if (descriptor && Object.keys(descriptor).length > 0) unsupported = 'timed compute passes';
      const pass = begin(descriptor);
      let pipeline: GpuComputePipeline | null = null;
      let group: unknown = null;
      const setPipeline = pass.setPipeline.bind(pass);
      pass.setPipeline = (p) => {
        pipeline = p;
        setPipeline(p);
      };
      const setBindGroup = pass.setBindGroup.bind(pass);
      pass.setBindGroup = (index, g) => {
        if (index !== 0) unsupported = 'bind groups other than 0';
        group = g;
        setBindGroup(index, g);
      };
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x, y = 1, z = 1) => {
        if (!pipeline || !groupBuffers.has(group))
          unsupported = 'a dispatch with an unknown bind group';
        else recording.push({ kind: 'dispatch', pipeline, group, x, y, z });
        dispatch(x, y, z);
      };
      return pass;
    };
    const copy = encoder.copyBufferToBuffer.bind(encoder);
    encoder.copyBufferToBuffer = (src, srcOffset, dst, dstOffset, size) => {
      recording.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
      copy(src, srcOffset, dst, dstOffset, size);
    };
    const clear = encoder.clearBuffer.bind(encoder);
    encoder.clearBuffer = (buffer, offset, size) => {
      recording.push({ kind: 'clear', buffer, offset, size });
      clear(buffer, offset, size);
    };
    for (const name of ['copyBufferToTexture', 'copyTextureToBuffer', 'resolveQuerySet'] as const) {
      const original = (encoder as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      if (typeof original === 'function')
        (encoder as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
          unsupported = name;
          return original.apply(encoder, a);
        };
    }
    return encoder;
  }

  let outputs: tf.Tensor[] = [];
  try {
    outputs = tf.tidy(() => fn(inputs)).map((t) => tf.keep(t));
    be.endComputePassEncoder();
    if (be.commandEncoder) be.submitQueue(); // releases everything pending into the pool
  } catch (err) {
    for (const r of restore.reverse()) r();
    pool.setMaxFreeBytes(cap);
    tf.dispose(inputs);
    // A read-back on Node fails inside tfjs (no OffscreenCanvas for readSync): say why first.
    throw unsupported ? refusal(unsupported, err) : err;
  }
  for (const r of restore.reverse()) r();
  if (unsupported) {
    pool.setMaxFreeBytes(cap);
    tf.dispose([...inputs, ...outputs]);
    throw refusal(unsupported);
  }

  // Every buffer the commands touch, with the position of the first command touching it.
  const buffersOf = (c: Command): GpuBuffer[] =>
    c.kind === 'dispatch'
      ? groupBuffers.get(c.group)!
      : c.kind === 'copy'
        ? [c.src, c.dst]
        : [c.buffer];
  const firstTouch = new Map<GpuBuffer, number>();
  recording.forEach((c, at) => {
    if (c.kind === 'upload') return;
    for (const b of buffersOf(c)) if (!firstTouch.has(b)) firstTouch.set(b, at);
  });
  const touched = new Set(firstTouch.keys());
  const uploadsTo = new Map<GpuBuffer, number>();
  for (const c of recording)
    if (c.kind === 'upload') uploadsTo.set(c.dst, (uploadsTo.get(c.dst) ?? 0) + 1);
  const needed = recording.filter(
    (u, at): u is Upload =>
      u.kind === 'upload' && replayNeedsUpload(u, at, firstTouch, acquired, uploadsTo, be),
  );
  const constants = needed.length > 0 ? constantBuffer(be, needed) : null;
  const commands: Command[] = [];
  for (const c of recording) {
    if (c.kind !== 'upload') commands.push(c);
    else if (constants?.offsets.has(c)) {
      const { buffer, offsets } = constants;
      const size = c.bytes.byteLength;
      commands.push({
        kind: 'copy',
        src: buffer,
        srcOffset: offsets.get(c)!,
        dst: c.dst,
        dstOffset: c.dstOffset,
        size,
      });
    }
  }
  const kept = new Set([...inputs, ...outputs].map((t) => gpuBufferOf(be, t)));
  const owned: GpuBuffer[] = constants ? [constants.buffer] : [];
  const externals: External[] = [];
  const variables = new Map<object, tf.Variable>();
  const registry = (tf.engine() as unknown as { registeredVariables: Record<string, tf.Variable> })
    .registeredVariables;
  for (const v of Object.values(registry)) variables.set(v.dataId, v);
  const written = new Set<GpuBuffer>();
  for (const c of commands) {
    if (c.kind === 'copy') written.add(c.dst);
    else if (c.kind === 'clear') written.add(c.buffer);
  }
  const external = (dataId: object, buffer: GpuBuffer) =>
    externals.push({
      dataId,
      buffer,
      variable: variables.get(dataId) ?? null,
      written: written.has(buffer),
    });
  for (const b of touched) {
    if (kept.has(b)) continue;
    if (pool.take(b)) {
      owned.push(b);
      trackRuntimeBytes(b.size);
      continue;
    }
    const dataId = boundIds.get(b);
    if (dataId && !acquired.has(b)) external(dataId, b);
    else if (dataId && be.tensorMap.has(dataId) && be.tensorMap.get(dataId).resource === b)
      external(dataId, b); // made during capture and still alive: must stay
    // else: uniforms and shared scalars (persistent), or buffers made outside tfjs' pool.
  }
  pool.setMaxFreeBytes(cap);
  return new CapturedGraph(be, commands, inputs, outputs, externals, owned);
}

/**
 * Whether a replay must repeat upload `u` (at position `at` of the recording). Its buffer keeps
 * the uploaded values from one replay to the next, so the upload can be left out, only where no
 * command before it touches the buffer (it was no intermediate earlier in the graph) and the
 * buffer is either a permanent one of the runtime (shared scalar constants, cached uniforms:
 * written once, never handed to a kernel as output) or still holds the uploaded tensor at the
 * end of the capture (then no command wrote it after the upload either: kernels do not write
 * their inputs). Everywhere else the buffer came from tfjs' pool and may serve as a recorded
 * command's output before or after the upload (the pool reuses freed buffers within the
 * capture), and an unrepeated upload would leave that output in place of the values. A buffer
 * uploaded to more than once during the capture (a uniform reused with new contents) holds only
 * the last values at the end of a replay, so all of its uploads are repeated.
 */
function replayNeedsUpload(
  u: Upload,
  at: number,
  firstTouch: ReadonlyMap<GpuBuffer, number>,
  acquired: ReadonlySet<GpuBuffer>,
  uploadsTo: ReadonlyMap<GpuBuffer, number>,
  be: WebGPUBackendInternals,
): boolean {
  const first = firstTouch.get(u.dst);
  if (first === undefined) return false; // nothing in the graph reads it
  if (first < at || (uploadsTo.get(u.dst) ?? 0) > 1) return true;
  if (!acquired.has(u.dst)) return false;
  const holder = u.dataId && be.tensorMap.has(u.dataId) ? be.tensorMap.get(u.dataId) : null;
  return holder?.resource !== u.dst;
}

/** One graph-owned buffer holding the values of `uploads`, at 4-byte aligned offsets. */
function constantBuffer(
  be: WebGPUBackendInternals,
  uploads: readonly Upload[],
): { buffer: GpuBuffer; offsets: Map<Upload, number> } {
  const offsets = new Map<Upload, number>();
  let size = 0;
  for (const u of uploads) {
    if (u.bytes.byteLength % 4 !== 0 || u.dstOffset % 4 !== 0)
      throw new Error(
        `captureGraph: an upload of ${u.bytes.byteLength} bytes at offset ${u.dstOffset} is not 4-byte aligned, which replay cannot copy`,
      );
    offsets.set(u, size);
    size += u.bytes.byteLength;
  }
  const data = new Uint8Array(size);
  for (const u of uploads) data.set(u.bytes, offsets.get(u)!);
  const buffer = be.device.createBuffer({ size: Math.max(4, size), usage: TENSOR_BUFFER_USAGE });
  be.queue.writeBuffer(buffer, 0, data);
  trackRuntimeBytes(buffer.size);
  return { buffer, offsets };
}

/** A copy of the bytes `queue.writeBuffer(buffer, offset, data, dataOffset, size)` writes. */
function bytesOf(
  data: ArrayBufferView | ArrayBuffer,
  dataOffset: number,
  size?: number,
): Uint8Array {
  // For typed arrays WebGPU counts dataOffset and size in elements, else in bytes.
  const unit = ArrayBuffer.isView(data)
    ? ((data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1)
    : 1;
  const view = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
  const start = dataOffset * unit;
  return view.slice(start, size === undefined ? undefined : start + size * unit);
}

function refusal(what: string, cause?: unknown): Error {
  return new Error(`captureGraph: the function used ${what}, which replay cannot repeat`, {
    cause,
  });
}
