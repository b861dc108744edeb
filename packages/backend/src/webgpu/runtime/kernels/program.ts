import * as tf from '@tensorflow/tfjs-core';

/**
 * A compute program in the shape tfjs-webgpu's `runWebGPUProgram` expects (the fields its
 * `WebGPUProgram` interface reads). tfjs declares the bindings for us: `result` (the output,
 * read_write), one read-only array per name in `variableNames`, and `uniforms` holding the
 * shapes, `size` (when `size` is true) and the fields listed in `uniforms`. With a flat
 * `dispatchLayout` the user code defines `fn main(index: i32)`, called once per invocation.
 */
export interface WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size?: boolean;
  uniforms?: string;
  getUserCode(): string;
}

/** The backend method that compiles (cached by shader key), binds and dispatches a program. */
export interface ProgramRunner {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Array<{ type: 'float32' | 'int32' | 'uint32'; data: number[] }>,
  ): tf.TensorInfo;
}

/**
 * Give a program the name GPU profiles report it under: tfjs labels timed dispatches with
 * `program.constructor.name` (its programs are classes; ours are plain objects).
 */
export function named<P extends WebGPUProgram>(name: string, program: P): P {
  Object.defineProperty(program, 'constructor', { value: { name }, enumerable: false });
  return program;
}

/** A program with one invocation per output element (flat dispatch), named for profiles. */
export function elementwiseProgram(
  name: string,
  key: string,
  outputShape: number[],
  variableNames: string[],
  body: string,
  uniforms?: string,
): WebGPUProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  const workgroup = 128;
  return named(name, {
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / workgroup), 1, 1],
    variableNames,
    workgroupSize: [workgroup, 1, 1],
    size: true,
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  });
}

/**
 * Register a WebGPU kernel of one NHWC float32 input (named `input`) computed by an elementwise
 * program over its output: `outShape` from the input's [n, h, w, c], `body` the WGSL per output
 * element (`index`, the input's shape in `uniforms.<input>Shape`).
 */
export function registerNhwcKernel(
  kernelName: string,
  input: string,
  shaderKey: string,
  outShape: (shape: [number, number, number, number]) => number[],
  body: string,
): void {
  tf.registerKernel({
    kernelName,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs[input] as tf.TensorInfo;
      const shape = x.shape as [number, number, number, number];
      const program = elementwiseProgram(kernelName, shaderKey, outShape(shape), [input], body);
      return (backend as unknown as ProgramRunner).runWebGPUProgram(program, [x], 'float32');
    },
  });
}
