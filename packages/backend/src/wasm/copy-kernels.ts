import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { callOriginalKernel } from './original-kernels';
import { copyBlock } from './simd/copy-block';
import { type KernelRuntime, kernelRuntimeOf } from './simd/kernel-runtime';

/** Bytes per element on the wasm heap for the dtypes copied here (null: hand back to tfjs). */
function elementBytes(dtype: string): number | null {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  return null;
}

/** The runtime, if this call can be served by heap copies. */
function copyRuntime(backend: KernelBackend, x: TensorInfo): KernelRuntime | null {
  return elementBytes(x.dtype) === null ? null : kernelRuntimeOf(backend);
}

function sliceOf(
  runtime: KernelRuntime,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): TensorInfo {
  const out = runtime.backend.makeOutput([...size], x.dtype);
  const bytes = elementBytes(x.dtype)!;
  copyBlock(
    runtime,
    bytes,
    { address: runtime.address(x), shape: x.shape, begin },
    { address: runtime.address(out), shape: size, begin: size.map(() => 0) },
    size,
  );
  return out;
}

/**
 * Slice for wasm as strided row copies on the heap (`copyBlock`). tfjs' own reads the whole
 * tensor out of the heap first and then copies one innermost run at a time in JavaScript, which
 * made channel slices of NHWC images (and SplitV, the gradient of every channel concatenation)
 * dominate an LSR training step.
 */
export function sliceWasm(args: {
  inputs: { x: TensorInfo };
  backend: KernelBackend;
  attrs: { begin: number | number[]; size: number | number[] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const runtime = copyRuntime(backend, inputs.x);
  if (!runtime) return callOriginalKernel('Slice', args);
  const [begin, size] = slice_util.parseSliceParams(inputs.x as never, attrs.begin, attrs.size);
  slice_util.assertParamsValid(inputs.x as never, begin!, size!);
  return sliceOf(runtime, inputs.x, begin!, size!);
}

/** SplitV for wasm: one heap slice per part. */
export function splitVWasm(args: {
  inputs: { x: TensorInfo };
  backend: KernelBackend;
  attrs: { numOrSizeSplits: number | number[]; axis: number | number[] };
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const runtime = copyRuntime(backend, x);
  if (!runtime) return callOriginalKernel('SplitV', args) as unknown as TensorInfo[];
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceOf(runtime, x, begin, size);
    begin[axis]! += s;
    return part;
  });
}

/** Concat for wasm: each input copied into its place along the axis as strided row copies. */
export function concatWasm(args: {
  inputs: TensorInfo[];
  backend: KernelBackend;
  attrs: { axis: number | number[] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const runtime = inputs.length > 0 ? copyRuntime(backend, inputs[0]!) : null;
  if (!runtime || inputs.some((t) => t.dtype !== inputs[0]!.dtype)) {
    return callOriginalKernel('Concat', args);
  }
  const axis = util.parseAxisParam(attrs.axis, inputs[0]!.shape)[0]!;
  const shapes = inputs.map((t) => t.shape);
  backend_util.assertParamsConsistent(shapes, axis);
  const outShape = backend_util.computeOutShape(shapes, axis);
  const out = runtime.backend.makeOutput(outShape, inputs[0]!.dtype);
  const bytes = elementBytes(inputs[0]!.dtype)!;
  const at = outShape.map(() => 0);
  for (const input of inputs) {
    copyBlock(
      runtime,
      bytes,
      { address: runtime.address(input), shape: input.shape, begin: input.shape.map(() => 0) },
      { address: runtime.address(out), shape: outShape, begin: at },
      input.shape,
    );
    at[axis]! += input.shape[axis]!;
  }
  return out;
}

/**
 * Identity for wasm without a copy: the output shares the input's data (reference-counted, as
 * Reshape does on wasm and Identity on tfjs' cpu backend; tfjs never writes kernel outputs in
 * place). The gradient tape calls Identity thousands of times per LSR step.
 */
export function identityWasm(args: {
  inputs: { x: TensorInfo };
  backend: KernelBackend;
}): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return callOriginalKernel('Identity', args);
  (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as KernelFunc,
};

export const sliceConfig: KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: sliceWasm as unknown as KernelFunc,
};

export const splitVConfig: KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  kernelFunc: splitVWasm as unknown as KernelFunc,
};

export const concatConfig: KernelConfig = {
  kernelName: 'Concat',
  backendName: 'wasm',
  kernelFunc: concatWasm as unknown as KernelFunc,
};
