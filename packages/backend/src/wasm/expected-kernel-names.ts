/**
 * For tests: the kernel names `registerWasmTrainingKernels` must report, in order, written out
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
  'ThScaledConv2D',
];

/** For tests: the names `registerHostFusedKernels` reports (wasm and cpu), in order. */
export const EXPECTED_HOST_FUSED_KERNEL_NAMES = [
  'ThInstanceNormStats',
  'ThInstanceNormApply',
  'ThInstanceNormGradSums',
  'ThInstanceNormGradX',
  'ThInstanceNormGradGamma',
  'ThLeakyRelu',
  'ThUpsampleBilinear2x',
  'ThUpsampleBilinear2xGrad',
  'ThLeakyReluGrad',
];
