/** One entry of `R1_SAFE_OPS`. */
export interface R1SafeOp {
  /** tfjs op (`tf.x`) or @th op (`@th/backend` export) name. */
  name: string;
  source: 'tfjs' | '@th';
  /** Safe for second-order gradients (R1/R2) after `init()`. */
  safe: boolean;
  notes: string;
}

/**
 * Which ops may appear inside a function that is differentiated twice (R1/R2 penalties), after
 * `init()` registered @th's gradient fixes. Every `safe: true` entry is checked against finite
 * differences, first and second order, on cpu and wasm by `src/conformance` (see CONFORMANCE.md).
 */
export const R1_SAFE_OPS: readonly R1SafeOp[] = [
  {
    name: 'conv2d',
    source: 'tfjs',
    safe: true,
    notes: 'needs Conv2DBackpropFilter on the backend (wasm: @th kernel)',
  },
  {
    name: 'conv2dTranspose',
    source: 'tfjs',
    safe: true,
    notes: 'gradients are conv2d / conv2DBackpropFilter',
  },
  { name: 'matMul', source: 'tfjs', safe: true, notes: '' },
  { name: 'add, sub, mul, div', source: 'tfjs', safe: true, notes: 'with broadcasting' },
  {
    name: 'reshape, concat, slice, pad, reverse, tile',
    source: 'tfjs',
    safe: true,
    notes: 'linear',
  },
  { name: 'mean, sum', source: 'tfjs', safe: true, notes: 'linear' },
  {
    name: 'moments',
    source: 'tfjs',
    safe: true,
    notes: 'instance norm = (x - mean) * rsqrt(var + eps)',
  },
  {
    name: 'square, sqrt, rsqrt, log, abs, relu, softplus',
    source: 'tfjs',
    safe: true,
    notes: 'gradients use only inputs',
  },
  {
    name: 'exp, tanh, sigmoid, elu, pow',
    source: 'tfjs',
    safe: true,
    notes: 'gradient replaced by @th (tfjs reused the output: silently wrong 2nd order)',
  },
  { name: 'softmax', source: 'tfjs', safe: true, notes: 'gradient replaced by @th (same reason)' },
  {
    name: 'logSoftmax',
    source: 'tfjs',
    safe: false,
    notes:
      'customGrad saving its output: wrong 2nd order, not fixable by registry; use @th logSoftmax',
  },
  {
    name: 'max, min (reductions)',
    source: 'tfjs',
    safe: true,
    notes: 'gradient replaced by @th; 2nd derivative 0 a.e.',
  },
  {
    name: 'maximum, minimum, where, leakyRelu, relu6',
    source: 'tfjs',
    safe: true,
    notes: 'needs the zero gradients @th registers for comparison kernels',
  },
  {
    name: 'mirrorPad',
    source: 'tfjs',
    safe: true,
    notes: 'tfjs gradient is wrong even at 1st order; replaced by @th',
  },
  {
    name: 'avgPool',
    source: 'tfjs',
    safe: true,
    notes: '@th registers AvgPoolGrad gradient; prefer avgPool2 / boxDownsample',
  },
  {
    name: 'image.resizeBilinear',
    source: 'tfjs',
    safe: true,
    notes: 'halfPixelCenters=false only; @th registers ResizeBilinearGrad gradient',
  },
  {
    name: 'image.resizeBilinear (halfPixelCenters)',
    source: 'tfjs',
    safe: false,
    notes:
      'tfjs gradient kernel ignores halfPixelCenters: wrong at 1st order; use upsampleBilinear2x',
  },
  {
    name: 'depthwiseConv2d',
    source: 'tfjs',
    safe: true,
    notes: 'cpu only: wasm has no depthwise backprop kernels; prefer blurPool',
  },
  {
    name: 'maxPool',
    source: 'tfjs',
    safe: false,
    notes: 'gradient reuses the output; MaxPoolGrad has no gradient',
  },
  {
    name: 'blurPool',
    source: '@th',
    safe: true,
    notes: 'custom op, backward = adjoint custom op, forward kernels only',
  },
  { name: 'avgPool2', source: '@th', safe: true, notes: 'reshape + mean' },
  { name: 'boxDownsample', source: '@th', safe: true, notes: 'reshape + mean' },
  { name: 'upsampleBilinear2x', source: '@th', safe: true, notes: 'slice/concat/mul/add/reshape' },
  { name: 'leakyRelu', source: '@th', safe: true, notes: 'alpha * x + (1 - alpha) * relu(x)' },
  { name: 'logSoftmax', source: '@th', safe: true, notes: 'x - m - log(sum(exp(x - m)))' },
];
