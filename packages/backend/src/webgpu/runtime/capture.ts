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
  type WebGPUBackendInternals,
  webgpuInternals,
} from './internals';
import { trackRuntimeBytes } from './runtime-memory';

/** A tensor the graph reads but does not own: it must keep its buffer (and a variable its data). */
interface External {
  dataId: object;
  buffer: GpuBuffer;
  variable: tf.Variable | null;
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
 * A recorded sequence of GPU commands that computes `outputs` from `inputs`, replayed without
 * tfjs (CUDA-graph style). A call through tfjs costs tens of microseconds of JavaScript and Dawn
 * work per kernel (shader keys, uniforms, bind groups, tape bookkeeping); a replay costs three
 * native calls per kernel, so a small network's per-call cost falls from the kernel count times
 * that overhead to nearly its GPU time.
 *
 * The graph owns every buffer its commands touch: inputs and outputs (kept tensors) and the
 * intermediates (taken out of tfjs' pool at capture). Tensors it merely read (weights) must stay
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
    for (const e of this.externals) {
      const data = this.be.tensorMap.has(e.dataId) ? this.be.tensorMap.get(e.dataId) : null;
      if (!data || data.resource !== e.buffer || (e.variable && e.variable.dataId !== e.dataId))
        throw new Error(
          `CapturedGraph.run: ${e.variable ? `variable "${e.variable.name}"` : 'a tensor the graph reads'} was disposed or reassigned since capture; capture again`,
        );
    }
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
    return outs.map((o) => o.tensor);
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
 * kernels at the same shapes every call, no read-backs. It runs once here (eagerly, through
 * tfjs). Needs WebGPU with @th's runtime (its writeBuffer uploads and cached uniforms keep the
 * recorded bind groups valid); returns null elsewhere, so callers fall back to eager calls.
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

  // Graph-owned inputs: copies of the examples in buffers of their own.
  const inputs = exampleInputs.map((t) => tf.keep(tf.tidy(() => tf.add(t, tf.zerosLike(t)))));
  // Submit so the next command encoder is created (and recorded) through the patch below.
  be.endComputePassEncoder();
  if (be.commandEncoder) be.submitQueue();
  const commands: Command[] = [];
  const groupBuffers = new Map<unknown, GpuBuffer[]>();
  const boundIds = new Map<GpuBuffer, object>();
  const acquired = new Set<GpuBuffer>();
  let unsupported: string | null = null;

  const device = be.device;
  const restore: Array<() => void> = [];
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
        else commands.push({ kind: 'dispatch', pipeline, group, x, y, z });
        dispatch(x, y, z);
      };
      return pass;
    };
    const copy = encoder.copyBufferToBuffer.bind(encoder);
    encoder.copyBufferToBuffer = (src, srcOffset, dst, dstOffset, size) => {
      commands.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
      copy(src, srcOffset, dst, dstOffset, size);
    };
    const clear = encoder.clearBuffer.bind(encoder);
    encoder.clearBuffer = (buffer, offset, size) => {
      commands.push({ kind: 'clear', buffer, offset, size });
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
    throw err;
  }
  for (const r of restore.reverse()) r();
  if (unsupported) {
    pool.setMaxFreeBytes(cap);
    tf.dispose([...inputs, ...outputs]);
    throw new Error(`captureGraph: the function used ${unsupported}, which replay cannot repeat`);
  }

  // Every buffer the commands touch.
  const touched = new Set<GpuBuffer>();
  for (const c of commands) {
    if (c.kind === 'dispatch') for (const b of groupBuffers.get(c.group)!) touched.add(b);
    else if (c.kind === 'copy') {
      touched.add(c.src);
      touched.add(c.dst);
    } else touched.add(c.buffer);
  }
  const kept = new Set([...inputs, ...outputs].map((t) => gpuBufferOf(be, t)));
  const owned: GpuBuffer[] = [];
  const externals: External[] = [];
  const variables = new Map<object, tf.Variable>();
  const registry = (tf.engine() as unknown as { registeredVariables: Record<string, tf.Variable> })
    .registeredVariables;
  for (const v of Object.values(registry)) variables.set(v.dataId, v);
  const external = (dataId: object, buffer: GpuBuffer) =>
    externals.push({ dataId, buffer, variable: variables.get(dataId) ?? null });
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
