import * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-webgpu's `WebGPUBackend` (4.22.0, pinned exactly) that @th's WebGPU
 * runtime reads or drives. None of this is tfjs' public API: it is the backend object's own
 * fields and methods, which are plain JavaScript properties at run time. Keeping them in one
 * typed place means a tfjs upgrade breaks here, loudly, and nowhere else.
 *
 * WebGPU objects are typed structurally (only what is used), so @th needs no DOM/WebGPU type
 * package and its public declarations stay free of GPU types.
 */

/** GPUBufferUsage flags (WebGPU spec values; the global may not exist before Dawn is loaded). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

/** The usage tfjs gives every tensor buffer (uploadToGPU / makeTensorInfo outputs). */
export const TENSOR_BUFFER_USAGE =
  BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

export interface GpuBuffer {
  readonly size: number;
  readonly usage: number;
  readonly mapState?: string;
  destroy(): void;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

export interface GpuBindGroupEntry {
  binding: number;
  resource: { buffer: GpuBuffer; offset?: number; size?: number };
}

export interface GpuComputePipeline {
  getBindGroupLayout(index: number): unknown;
}

export interface GpuComputePass {
  setPipeline(p: GpuComputePipeline): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

export interface GpuCommandEncoder {
  beginComputePass(descriptor?: Record<string, unknown>): GpuComputePass;
  copyBufferToBuffer(
    src: GpuBuffer,
    srcOffset: number,
    dst: GpuBuffer,
    dstOffset: number,
    size: number,
  ): void;
  clearBuffer(buffer: GpuBuffer, offset?: number, size?: number): void;
  finish(): unknown;
}

export interface GpuQueue {
  submit(buffers: unknown[]): void;
  writeBuffer(
    buffer: GpuBuffer,
    offset: number,
    data: ArrayBufferView | ArrayBuffer,
    dataOffset?: number,
    size?: number,
  ): void;
  onSubmittedWorkDone(): Promise<void>;
}

export interface GpuDevice {
  readonly queue: GpuQueue;
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  createBuffer(descriptor: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(descriptor: { code: string; label?: string }): unknown;
  createComputePipeline(descriptor: {
    layout: 'auto';
    compute: { module: unknown; entryPoint: string };
    label?: string;
  }): GpuComputePipeline;
  createBindGroup(descriptor: { layout: unknown; entries: GpuBindGroupEntry[] }): unknown;
  createCommandEncoder(): GpuCommandEncoder;
  createQuerySet(descriptor: { type: 'timestamp'; count: number }): unknown;
}

/** What tfjs-webgpu keeps per data id (`backend.tensorMap.get(dataId)`). */
export interface TensorData {
  values: ArrayLike<number> | null;
  dtype: tf.DataType;
  shape: number[];
  refCount: number;
  resource: GpuBuffer | null;
  /** Set for buffers the backend must not return to its pool (wrapped external buffers). */
  external?: boolean;
}

/** tfjs-webgpu's buffer pool (`backend.bufferManager`). */
export interface BufferManager {
  numUsedBuffers: number;
  numFreeBuffers: number;
  numBytesUsed: number;
  numBytesAllocated: number;
  freeBuffers: Map<string, GpuBuffer[]>;
  usedBuffers: Map<string, GpuBuffer[]>;
  acquireBuffer(
    size: number,
    usage: number,
    mappedAtCreation?: boolean,
    reuse?: boolean,
  ): GpuBuffer;
  releaseBuffer(buffer: GpuBuffer, reuse?: boolean): void;
}

/** A timer entry of `backend.time()` (GPU timestamp query per dispatch). */
export interface ActiveTimer {
  name: string;
  query: Promise<number>;
}

export interface WebGPUBackendInternals {
  device: GpuDevice;
  queue: GpuQueue;
  tensorMap: { get(dataId: object): TensorData; has(dataId: object): boolean };
  bufferManager: BufferManager;
  commandEncoder: GpuCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  activeTimers?: ActiveTimer[] | null;
  supportTimestampQuery: boolean;
  querySet: unknown;
  querySetCount: number;
  dispatchCountInPass: number;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: ArrayLike<number>): tf.TensorInfo;
  getQueryTime(): Promise<number>;
  time(f: () => void): Promise<tf.TimingInfo & { getExtraProfileInfo?: () => string }>;
}

const serials = new WeakMap<object, number>();
let nextSerial = 1;

/** A number naming a GPU object (buffer, layout) for cache keys; never reused for another one. */
export function serialOf(o: object): number {
  let id = serials.get(o);
  if (id === undefined) {
    id = nextSerial++;
    serials.set(o, id);
  }
  return id;
}

/** The active tfjs backend's internals when it is tfjs-webgpu, else null. */
export function webgpuInternals(): WebGPUBackendInternals | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as Partial<WebGPUBackendInternals>;
  if (!backend.device || !backend.tensorMap || !backend.bufferManager) {
    throw new Error(
      'the webgpu backend does not look like tfjs-backend-webgpu 4.22.0 (no device/tensorMap/bufferManager)',
    );
  }
  return backend as WebGPUBackendInternals;
}

/** The GPU buffer holding a tensor's data (uploading CPU-side values first). */
export function gpuBufferOf(be: WebGPUBackendInternals, t: tf.TensorInfo): GpuBuffer {
  be.uploadToGPU(t.dataId);
  const data = be.tensorMap.get(t.dataId);
  if (!data.resource || typeof (data.resource as GpuBuffer).size !== 'number') {
    throw new Error(`tensor [${t.shape}] has no GPU buffer (texture-backed tensors unsupported)`);
  }
  return data.resource;
}

/**
 * A fresh float32 tensor whose buffer comes from tfjs' pool, for a command to fill. The caller
 * must encode the write before anything reads the tensor.
 */
export function emptyTensor(
  be: WebGPUBackendInternals,
  shape: number[],
  dtype: 'float32' | 'int32' = 'float32',
): { tensor: tf.Tensor; buffer: GpuBuffer } {
  const info = be.makeTensorInfo(shape, dtype);
  be.uploadToGPU(info.dataId);
  const buffer = be.tensorMap.get(info.dataId).resource!;
  const tensor = tf.engine().makeTensorFromTensorInfo(info);
  return { tensor, buffer };
}

/**
 * A compute pass on the backend's own command encoder, ordered after every kernel tfjs has
 * encoded so far. Inside `backend.time()` (tf.profile, @th's kernel profile) the pass carries
 * timestamp queries and is reported under `name`, like tfjs' own programs.
 */
export function beginComputePass(
  be: WebGPUBackendInternals,
  name: string,
): { pass: GpuComputePass; end(): void } {
  be.ensureCommandEncoderReady();
  be.endComputePassEncoder();
  const encoder = be.commandEncoder!;
  const timers = be.activeTimers;
  const timed = timers != null && be.supportTimestampQuery;
  if (timed && be.querySet == null) {
    be.querySet = be.device.createQuerySet({ type: 'timestamp', count: be.querySetCount });
  }
  const pass = timed
    ? encoder.beginComputePass({
        timestampWrites: {
          querySet: be.querySet,
          beginningOfPassWriteIndex: 0,
          endOfPassWriteIndex: 1,
        },
      })
    : encoder.beginComputePass();
  return {
    pass,
    end() {
      pass.end();
      if (timed) timers.push({ name, query: be.getQueryTime() });
    },
  };
}

/** Keep a tensor's buffer out of tfjs' pool until the encoder that uses it is submitted. */
export function holdUntilSubmit(be: WebGPUBackendInternals, t: tf.TensorInfo): void {
  be.commandQueueOwnedIds.add(t.dataId);
}

/** Compile a WGSL compute shader (entry point `main`) into a pipeline with an automatic layout. */
export function computePipeline(
  device: GpuDevice,
  code: string,
  label: string,
): GpuComputePipeline {
  return device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code, label }), entryPoint: 'main' },
    label,
  });
}

/** Workgroup counts for `n` invocations of `workgroupSize` threads within the per-dimension cap. */
export function dispatchSize(
  device: GpuDevice,
  n: number,
  workgroupSize: number,
): [number, number] {
  const groups = Math.max(1, Math.ceil(n / workgroupSize));
  const cap = device.limits.maxComputeWorkgroupsPerDimension ?? 65535;
  if (groups <= cap) return [groups, 1];
  const x = cap;
  return [x, Math.ceil(groups / x)];
}
