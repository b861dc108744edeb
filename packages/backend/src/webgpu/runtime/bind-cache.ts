import {
  BufferUsage,
  type GpuBindGroupEntry,
  type GpuBuffer,
  type GpuComputePipeline,
  serialOf,
  type WebGPUBackendInternals,
} from './internals';
import { trackRuntimeBytes } from './runtime-memory';

/**
 * Entries cached at most; beyond that new ones are not cached (never dropped: a cached buffer or
 * group may be referenced by commands still being encoded).
 */
const MAX_BIND_GROUPS = 65536;
const MAX_UNIFORMS = 32768;

export interface BindCacheStats {
  uniformHits: number;
  uniformMisses: number;
  bindGroupHits: number;
  bindGroupMisses: number;
}

interface ProgramUniform {
  type: string;
  data: number[];
}

interface UniformBinding {
  offset: number;
  size: number;
  buffer: GpuBuffer;
}

/**
 * Make tfjs-webgpu's per-dispatch setup reusable. For every kernel tfjs acquires a fresh uniform
 * buffer, writes the shapes into it and creates a bind group (~20-60 µs of Dawn work each, the
 * largest part of a small kernel's cost). Here:
 *
 * - uniform contents are immutable buffers cached by content (an op at given shapes always
 *   writes the same bytes; tfjs' own layout code writes them once);
 * - bind groups are cached by (layout, buffers, ranges). Keys use a per-buffer serial number,
 *   so a buffer destroyed later can never be matched by a new one: a stale entry is only memory
 *   (bounded by MAX_BIND_GROUPS).
 *
 * In a training loop the same kernels meet the same pooled buffers step after step, so most
 * dispatches reuse both.
 */
export function installBindGroupCache(be: WebGPUBackendInternals): BindCacheStats {
  const stats: BindCacheStats = {
    uniformHits: 0,
    uniformMisses: 0,
    bindGroupHits: 0,
    bindGroupMisses: 0,
  };
  const device = be.device;
  const idOf = serialOf;

  // Pipelines hand out a new layout wrapper per getBindGroupLayout call; memoize it so a layout
  // has one identity (and one cache key).
  const memoizeLayouts = <P extends GpuComputePipeline>(pipeline: P): P => {
    const layouts = new Map<number, unknown>();
    const get = pipeline.getBindGroupLayout.bind(pipeline);
    pipeline.getBindGroupLayout = (index: number) => {
      let layout = layouts.get(index);
      if (layout === undefined) {
        layout = get(index);
        layouts.set(index, layout);
      }
      return layout;
    };
    return pipeline;
  };
  const createPipeline = device.createComputePipeline.bind(device);
  device.createComputePipeline = (descriptor) => memoizeLayouts(createPipeline(descriptor));
  const pipelines = (be as unknown as { pipelineCache?: Record<string, unknown> }).pipelineCache;
  for (const p of Object.values(pipelines ?? {})) {
    if (p && typeof (p as GpuComputePipeline).getBindGroupLayout === 'function')
      memoizeLayouts(p as GpuComputePipeline);
  }

  const uniforms = new Map<string, UniformBinding>();
  const internals = be as unknown as {
    makeUniforms(u: ProgramUniform[]): UniformBinding;
  };
  const makeUniforms = internals.makeUniforms.bind(be);
  internals.makeUniforms = (programUniform: ProgramUniform[]) => {
    let key = '';
    for (const u of programUniform) key += `${u.type[0]}${u.data.join(',')};`;
    const hit = uniforms.get(key);
    if (hit) {
      stats.uniformHits++;
      return hit;
    }
    stats.uniformMisses++;
    // Let tfjs lay the bytes out (its struct alignment rules), catching what it writes.
    let bytes: Uint8Array | null = null;
    const queue = be.queue;
    const write = queue.writeBuffer;
    queue.writeBuffer = (buffer, offset, data, dataOffset = 0, size) => {
      const view = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
      bytes = view.slice(dataOffset, size === undefined ? undefined : dataOffset + size);
      write.call(queue, buffer, offset, data, dataOffset, size);
    };
    let binding: UniformBinding;
    try {
      binding = makeUniforms(programUniform);
    } finally {
      queue.writeBuffer = write;
    }
    if (!bytes) return binding;
    if (uniforms.size >= MAX_UNIFORMS) return binding;
    const captured = bytes as Uint8Array;
    const buffer = device.createBuffer({
      size: binding.size,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
    });
    // queue.writeBuffer lands before the commands being encoded are submitted, so this very
    // dispatch can use the cached buffer already (tfjs' pooled one goes back at the submit).
    write.call(queue, buffer, 0, captured, 0, binding.size);
    trackRuntimeBytes(binding.size);
    const cached = { offset: 0, size: binding.size, buffer };
    uniforms.set(key, cached);
    return cached;
  };

  const groups = new Map<string, unknown>();
  const createBindGroup = device.createBindGroup.bind(device);
  device.createBindGroup = (descriptor) => {
    let key = `${idOf(descriptor.layout as object)}`;
    for (const e of descriptor.entries as GpuBindGroupEntry[]) {
      const r = e.resource as { buffer?: GpuBuffer; offset?: number; size?: number };
      if (!r?.buffer) return createBindGroup(descriptor); // texture views: not cached
      key += `|${e.binding}:${idOf(r.buffer)}:${r.offset ?? 0}:${r.size ?? -1}`;
    }
    let group = groups.get(key);
    if (group !== undefined) {
      stats.bindGroupHits++;
      return group;
    }
    stats.bindGroupMisses++;
    group = createBindGroup(descriptor);
    if (groups.size < MAX_BIND_GROUPS) groups.set(key, group);
    return group;
  };
  return stats;
}
