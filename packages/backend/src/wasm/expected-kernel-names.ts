/**
 * For tests: the kernel names `init` reports for wasm (`registerWasmTrainingKernels`, then the fused kernels), in order, written out
 * here rather than read from register.ts so that a kernel dropped there fails the tests.
 */
export const EXPECTED_WASM_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'Conv2D',
  'Slice',
  'SplitV',
  'Concat',
  'Identity',
  'Sum',
  'Mean',
  // registerHostFusedKernels (fused instance norm + modulation, leaky ReLU), also on cpu.
  'ThInstanceNormStats',
  'ThInstanceNormApply',
  'ThInstanceNormGradSums',
  'ThInstanceNormGradX',
  'ThInstanceNormGradGamma',
  'ThLeakyRelu',
  'ThLeakyReluGrad',
];
