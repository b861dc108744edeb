import type * as tf from '@tensorflow/tfjs-core';
import {
  type AdamConstants,
  checkGradients,
  type DeviceAdamSteps,
  type MultiTensorAdam,
} from '../../optim/adam-contract';
import { FlatLayout } from '../../optim/flat-layout';
import {
  ADAM_GATED_UPDATE_WGSL,
  ADAM_UPDATE_WGSL,
  ADAM_WORKGROUP,
  NON_FINITE_WGSL,
} from './adam-shaders';
import {
  BufferUsage,
  beginComputePass,
  computePipeline,
  dispatchSize,
  emptyTensor,
  type GpuBuffer,
  type GpuComputePipeline,
  gpuBufferOf,
  holdUntilSubmit,
  TENSOR_BUFFER_USAGE,
  type WebGPUBackendInternals,
  webgpuInternals,
} from './internals';
import { trackRuntimeBytes } from './runtime-memory';

/** One dispatch's slice of the flat arrays: bound from `start` (256-byte aligned), `count` long. */
interface Window {
  start: number;
  offset: number;
  count: number;
}

const STEP_UNIFORM_BYTES = 48;

/**
 * Multi-tensor Adam in WGSL (see `MultiTensorAdam`). Parameters (θ), gradients, m and v live in
 * four flat GPU buffers laid out by `FlatLayout`. A step is: copy the gradients into the flat
 * gradient buffer (buffer copies, no kernels), one update dispatch per bound window (one window
 * covers up to maxStorageBufferBindingSize: the whole H100 model is 1-2 dispatches), and a copy of
 * each updated parameter back into its variable's buffer, written in place when the variable
 * owns its buffer alone. θ is re-read from a variable only when its data changed hands (an
 * `assign` from outside, e.g. a checkpoint load), which `dataId` tracking detects.
 */
export class WebGPUMultiTensorAdam implements MultiTensorAdam, DeviceAdamSteps {
  readonly kind = 'webgpu' as const;
  private readonly be: WebGPUBackendInternals;
  private readonly layout: FlatLayout;
  private readonly theta: GpuBuffer;
  private readonly grad: GpuBuffer;
  private readonly m: GpuBuffer;
  private readonly v: GpuBuffer;
  private readonly updatePipeline: GpuComputePipeline;
  private readonly probePipeline: GpuComputePipeline;
  private gatedPipeline: GpuComputePipeline | null = null;
  private readonly maxWindow: number;
  /** The data id each variable had when θ last matched it (null: never synced). */
  private readonly syncedIds: Array<object | null>;
  /** Data ids of the gradients now in the flat gradient buffer (from `nonFiniteProbe`). */
  private staged: Array<object | null> | null = null;
  private readonly bindGroups = new Map<string, unknown>();
  private readonly uniforms: GpuBuffer[] = [];
  /**
   * Uniform buffers written once with fixed contents, by content: a captured graph that binds
   * one may rely on its values without replaying the write (see `captureGraph`).
   */
  private readonly fixedUniforms = new Map<string, GpuBuffer>();
  private readonly bytes: number;
  private disposed = false;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly constants: AdamConstants,
    /** Largest bound window in bytes (default: the device's maxStorageBufferBindingSize). */
    maxBindingBytes?: number,
  ) {
    const be = webgpuInternals();
    if (!be) throw new Error('WebGPUMultiTensorAdam: the active backend is not webgpu');
    this.be = be;
    this.layout = new FlatLayout(variables.map((v) => v.size));
    const byteSize = this.layout.total * 4;
    const maxBuffer = be.device.limits.maxBufferSize ?? 268435456;
    if (byteSize > maxBuffer)
      throw new Error(
        `multi-tensor Adam: ${byteSize} bytes of parameters exceed this GPU's maxBufferSize ${maxBuffer}`,
      );
    const make = () => be.device.createBuffer({ size: byteSize, usage: TENSOR_BUFFER_USAGE });
    this.theta = make();
    this.grad = make();
    this.m = make();
    this.v = make();
    this.bytes = 4 * byteSize;
    trackRuntimeBytes(this.bytes);
    const binding = Math.min(
      maxBindingBytes ?? Number.POSITIVE_INFINITY,
      be.device.limits.maxStorageBufferBindingSize ?? 134217728,
    );
    this.maxWindow = Math.floor(binding / 4 / this.layout.align) * this.layout.align;
    this.updatePipeline = computePipeline(be.device, ADAM_UPDATE_WGSL, 'ThMultiTensorAdam');
    this.probePipeline = computePipeline(be.device, NON_FINITE_WGSL, 'ThNonFiniteProbe');
    this.syncedIds = variables.map(() => null);
  }

  nonFiniteProbe(grads: ReadonlyArray<tf.Tensor | null>): tf.Scalar {
    this.check(grads);
    this.stageGradients(grads);
    const be = this.be;
    const { tensor, buffer } = emptyTensor(be, [], 'int32');
    be.ensureCommandEncoderReady();
    be.endComputePassEncoder();
    be.commandEncoder!.clearBuffer(buffer);
    const windows = this.windowsOf(grads);
    const { pass, end } = beginComputePass(be, 'ThNonFiniteProbe');
    pass.setPipeline(this.probePipeline);
    windows.forEach((w) => {
      const uniform = this.fixedUniform(new Uint32Array([w.offset, w.count, 0, 0]).buffer);
      pass.setBindGroup(
        0,
        be.device.createBindGroup({
          layout: this.probePipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: this.range(this.grad, w) },
            { binding: 1, resource: { buffer } },
            { binding: 2, resource: { buffer: uniform } },
          ],
        }),
      );
      const [x, y] = dispatchSize(be.device, w.count, ADAM_WORKGROUP);
      pass.dispatchWorkgroups(x, y);
    });
    end();
    holdUntilSubmit(be, tensor);
    be.submitQueue();
    return tensor as tf.Scalar;
  }

  step(grads: ReadonlyArray<tf.Tensor | null>, stepSize: number, gradScale = 1): void {
    this.check(grads);
    if (!Number.isFinite(stepSize)) throw new Error(`multi-tensor Adam: step size ${stepSize}`);
    if (!(gradScale > 0 && Number.isFinite(gradScale)))
      throw new Error(`multi-tensor Adam: gradient scale ${gradScale}`);
    const be = this.be;
    this.stageForUpdate(grads);

    const windows = this.windowsOf(grads);
    const { pass, end } = beginComputePass(be, 'ThMultiTensorAdam');
    pass.setPipeline(this.updatePipeline);
    windows.forEach((w, i) => {
      const uniform = this.uniform(i, STEP_UNIFORM_BYTES);
      be.queue.writeBuffer(uniform, 0, this.stepUniform(w, stepSize, gradScale));
      pass.setBindGroup(0, this.updateBindGroup(w, uniform));
      const [x, y] = dispatchSize(be.device, w.count, ADAM_WORKGROUP);
      pass.dispatchWorkgroups(x, y);
    });
    end();
    this.writeBackParameters(grads);
    be.submitQueue();
  }

  get device(): DeviceAdamSteps {
    return this;
  }

  gatedStep(grads: ReadonlyArray<tf.Tensor | null>, control: tf.Tensor, gate: tf.Tensor): void {
    this.check(grads);
    if (control.dtype !== 'float32' || control.size !== 2)
      throw new Error(
        `multi-tensor Adam: control must be float32 [stepSize, gradScale], got ${control.dtype} [${control.shape}]`,
      );
    if (gate.dtype !== 'int32' || gate.size !== 1)
      throw new Error(
        `multi-tensor Adam: gate must be an int32 scalar, got ${gate.dtype} [${gate.shape}]`,
      );
    const be = this.be;
    this.stageForUpdate(grads);
    const controlBuffer = gpuBufferOf(be, control);
    const gateBuffer = gpuBufferOf(be, gate);
    this.gatedPipeline ??= computePipeline(
      be.device,
      ADAM_GATED_UPDATE_WGSL,
      'ThMultiTensorAdamGated',
    );
    const pipeline = this.gatedPipeline;
    const { pass, end } = beginComputePass(be, 'ThMultiTensorAdamGated');
    pass.setPipeline(pipeline);
    for (const w of this.windowsOf(grads)) {
      // Step size and gradient scale come from `control`: the uniform's slots stay 0.
      const uniform = this.fixedUniform(this.stepUniform(w, 0, 0));
      pass.setBindGroup(
        0,
        be.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: this.range(this.theta, w) },
            { binding: 1, resource: this.range(this.grad, w) },
            { binding: 2, resource: this.range(this.m, w) },
            { binding: 3, resource: this.range(this.v, w) },
            { binding: 4, resource: { buffer: uniform } },
            { binding: 5, resource: { buffer: controlBuffer } },
            { binding: 6, resource: { buffer: gateBuffer } },
          ],
        }),
      );
      const [x, y] = dispatchSize(be.device, w.count, ADAM_WORKGROUP);
      pass.dispatchWorkgroups(x, y);
    }
    end();
    holdUntilSubmit(be, control);
    holdUntilSubmit(be, gate);
    this.writeBackParameters(grads);
    be.submitQueue();
  }

  syncParameters(): void {
    if (this.disposed) throw new Error('multi-tensor Adam: used after dispose()');
    const be = this.be;
    for (const variable of this.variables) {
      if (variable.size === 0) continue;
      const src = gpuBufferOf(be, variable);
      const data = be.tensorMap.get(variable.dataId);
      if (data.refCount === 1 && !data.external) continue;
      const fresh = emptyTensor(be, variable.shape);
      be.ensureCommandEncoderReady();
      be.endComputePassEncoder();
      be.commandEncoder!.copyBufferToBuffer(src, 0, fresh.buffer, 0, variable.size * 4);
      holdUntilSubmit(be, variable);
      holdUntilSubmit(be, fresh.tensor);
      variable.assign(fresh.tensor);
      fresh.tensor.dispose();
    }
    this.syncVariables(this.variables.map(() => true));
    this.be.submitQueue();
  }

  stagedGradient(index: number): tf.Tensor {
    return this.copyOut(this.grad, index);
  }

  moment(which: 'm' | 'v', index: number): tf.Tensor {
    return this.copyOut(which === 'm' ? this.m : this.v, index);
  }

  /** A copy of variable `index`'s segment of a flat buffer, shaped like the variable. */
  private copyOut(flat: GpuBuffer, index: number): tf.Tensor {
    const variable = this.variableAt(index);
    const { tensor, buffer } = emptyTensor(this.be, variable.shape);
    this.be.ensureCommandEncoderReady();
    this.be.endComputePassEncoder();
    if (variable.size > 0)
      this.be.commandEncoder!.copyBufferToBuffer(
        flat,
        this.layout.offset(index) * 4,
        buffer,
        0,
        variable.size * 4,
      );
    holdUntilSubmit(this.be, tensor);
    this.be.submitQueue();
    return tensor;
  }

  setMoment(which: 'm' | 'v', index: number, value: tf.Tensor): void {
    const variable = this.variableAt(index);
    if (value.shape.join() !== variable.shape.join())
      throw new Error(
        `multi-tensor Adam: ${which} of "${variable.name}" must be [${variable.shape}], got [${value.shape}]`,
      );
    if (value.dtype !== 'float32')
      throw new Error(`multi-tensor Adam: ${which} of "${variable.name}" must be float32`);
    if (variable.size === 0) return;
    const src = gpuBufferOf(this.be, value);
    this.be.ensureCommandEncoderReady();
    this.be.endComputePassEncoder();
    this.be.commandEncoder!.copyBufferToBuffer(
      src,
      0,
      which === 'm' ? this.m : this.v,
      this.layout.offset(index) * 4,
      variable.size * 4,
    );
    holdUntilSubmit(this.be, value);
    this.be.submitQueue();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [this.theta, this.grad, this.m, this.v, ...this.uniforms]) b.destroy();
    for (const b of this.fixedUniforms.values()) b.destroy();
    this.fixedUniforms.clear();
    trackRuntimeBytes(-this.bytes);
    this.bindGroups.clear();
  }

  private check(grads: ReadonlyArray<tf.Tensor | null>): void {
    if (this.disposed) throw new Error('multi-tensor Adam: used after dispose()');
    checkGradients(this.variables, grads, 'webgpu');
    grads.forEach((g, i) => {
      if (g && g.dtype !== 'float32')
        throw new Error(`multi-tensor Adam: gradient ${i} is ${g.dtype}, expected float32`);
    });
  }

  private variableAt(index: number): tf.Variable {
    const v = this.variables[index];
    if (!v) throw new Error(`multi-tensor Adam: no variable ${index}`);
    return v;
  }

  /** Copy every non-null gradient into its segment of the flat gradient buffer. */
  private stageGradients(grads: ReadonlyArray<tf.Tensor | null>): void {
    const be = this.be;
    const sources = grads.map((g) => (g && g.size > 0 ? gpuBufferOf(be, g) : null));
    be.ensureCommandEncoderReady();
    be.endComputePassEncoder();
    const encoder = be.commandEncoder!;
    grads.forEach((g, i) => {
      const src = sources[i];
      if (!g || !src) return;
      encoder.copyBufferToBuffer(src, 0, this.grad, this.layout.offset(i) * 4, g.size * 4);
      holdUntilSubmit(be, g);
    });
    this.staged = grads.map((g) => g?.dataId ?? null);
  }

  /**
   * Before an update: the gradients into the flat buffer (unless the probe just staged these
   * very tensors) and θ up to date with variables whose data changed hands.
   */
  private stageForUpdate(grads: ReadonlyArray<tf.Tensor | null>): void {
    const sameAsStaged =
      this.staged !== null && grads.every((g, i) => (g?.dataId ?? null) === this.staged![i]);
    if (!sameAsStaged) this.stageGradients(grads);
    this.staged = null;
    this.syncFor(grads);
  }

  /** The Step uniform of one window (see ADAM_UPDATE_WGSL). */
  private stepUniform(w: Window, stepSize: number, gradScale: number): ArrayBuffer {
    const { beta1, beta2, epsilon, clipValue } = this.constants;
    const data = new ArrayBuffer(STEP_UNIFORM_BYTES);
    new Uint32Array(data, 0, 2).set([w.offset, w.count]);
    new Float32Array(data, 8, 7).set([
      stepSize,
      beta1,
      beta2,
      1 - beta1,
      1 - beta2,
      epsilon,
      clipValue ?? 0,
    ]);
    new Uint32Array(data, 36, 1).set([clipValue === null ? 0 : 1]);
    new Float32Array(data, 40, 1).set([gradScale]);
    return data;
  }

  /** Bring θ up to date with variables whose data changed since the last step. */
  private syncFor(grads: ReadonlyArray<tf.Tensor | null>): void {
    this.syncVariables(grads.map((g) => g !== null));
  }

  private syncVariables(active: readonly boolean[]): void {
    const be = this.be;
    be.ensureCommandEncoderReady();
    be.endComputePassEncoder();
    active.forEach((on, i) => {
      const variable = this.variables[i]!;
      if (!on || variable.size === 0 || this.syncedIds[i] === variable.dataId) return;
      const src = gpuBufferOf(be, variable);
      be.commandEncoder!.copyBufferToBuffer(
        src,
        0,
        this.theta,
        this.layout.offset(i) * 4,
        variable.size * 4,
      );
      holdUntilSubmit(be, variable);
      this.syncedIds[i] = variable.dataId;
    });
  }

  /**
   * Copy updated θ segments into the variables: in place when the variable is the only holder
   * of its buffer, else into a fresh buffer that the variable is re-pointed to (so clones and
   * snapshots taken earlier keep their old values, as with `assign`).
   */
  private writeBackParameters(grads: ReadonlyArray<tf.Tensor | null>): void {
    const be = this.be;
    be.ensureCommandEncoderReady();
    grads.forEach((g, i) => {
      const variable = this.variables[i]!;
      if (!g || variable.size === 0) return;
      const data = be.tensorMap.get(variable.dataId);
      const bytes = variable.size * 4;
      const offset = this.layout.offset(i) * 4;
      if (data.refCount === 1 && !data.external && data.resource) {
        be.commandEncoder!.copyBufferToBuffer(this.theta, offset, data.resource, 0, bytes);
        data.values = null; // drop any CPU copy cached by an earlier read-back
        holdUntilSubmit(be, variable);
      } else {
        const fresh = emptyTensor(be, variable.shape);
        be.commandEncoder!.copyBufferToBuffer(this.theta, offset, fresh.buffer, 0, bytes);
        holdUntilSubmit(be, fresh.tensor);
        variable.assign(fresh.tensor);
        fresh.tensor.dispose();
      }
      this.syncedIds[i] = variable.dataId;
    });
  }

  /** Bound windows covering the active runs (each at most maxStorageBufferBindingSize). */
  private windowsOf(grads: ReadonlyArray<tf.Tensor | null>): Window[] {
    const windows: Window[] = [];
    const align = this.layout.align;
    for (const [runStart, runEnd] of this.layout.activeRuns(grads.map((g) => g !== null))) {
      let at = runStart;
      while (at < runEnd) {
        const start = Math.floor(at / align) * align;
        const count = Math.min(runEnd - at, this.maxWindow - (at - start));
        windows.push({ start, offset: at - start, count });
        at += count;
      }
    }
    return windows;
  }

  private range(buffer: GpuBuffer, w: Window): { buffer: GpuBuffer; offset: number; size: number } {
    return { buffer, offset: w.start * 4, size: (w.offset + w.count) * 4 };
  }

  private updateBindGroup(w: Window, uniform: GpuBuffer): unknown {
    const key = `${w.start}:${w.offset}:${w.count}:${this.uniforms.indexOf(uniform)}`;
    let group = this.bindGroups.get(key);
    if (!group) {
      group = this.be.device.createBindGroup({
        layout: this.updatePipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: this.range(this.theta, w) },
          { binding: 1, resource: this.range(this.grad, w) },
          { binding: 2, resource: this.range(this.m, w) },
          { binding: 3, resource: this.range(this.v, w) },
          { binding: 4, resource: { buffer: uniform } },
        ],
      });
      this.bindGroups.set(key, group);
    }
    return group;
  }

  /** A uniform buffer holding `data`, written once (shared by every call that needs it). */
  private fixedUniform(data: ArrayBuffer): GpuBuffer {
    const key = Array.from(new Uint32Array(data)).join(',');
    let buffer = this.fixedUniforms.get(key);
    if (!buffer) {
      buffer = this.be.device.createBuffer({
        size: Math.max(STEP_UNIFORM_BYTES, data.byteLength),
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      });
      this.be.queue.writeBuffer(buffer, 0, data);
      this.fixedUniforms.set(key, buffer);
    }
    return buffer;
  }

  /**
   * The i-th uniform buffer of a call. Reusing them across calls is safe because every call
   * submits its commands before returning, so a later `writeBuffer` is ordered after them.
   */
  private uniform(i: number, bytes: number): GpuBuffer {
    while (this.uniforms.length <= i) {
      this.uniforms.push(
        this.be.device.createBuffer({
          size: Math.max(STEP_UNIFORM_BYTES, bytes),
          usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
        }),
      );
    }
    return this.uniforms[i]!;
  }
}
