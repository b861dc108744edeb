/**
 * Every convolution of the FID Inception-v3 (pytorch-fid's port of TensorFlow's 2015-12-05
 * graph), in state-dict order, with the PyTorch module names its weights carry. Each one is a
 * "BasicConv2d": bias-free convolution, batch norm (eps 1e-3, running statistics) and ReLU; its
 * tensors are `<name>.conv.weight` [out, in, kh, kw] and `<name>.bn.{weight,bias,running_mean,
 * running_var}` [out]. The blocks read their convolutions from this table by name.
 */
export interface ConvLayer {
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride: number;
  /** Zero padding [rows, cols]; stride-1 layers pad (k − 1)/2, i.e. "same". */
  readonly padding: readonly [number, number];
}

function conv(
  name: string,
  inChannels: number,
  outChannels: number,
  kernel: number | readonly [number, number],
  options: { stride?: number; padding?: number | readonly [number, number] } = {},
): ConvLayer {
  const k = typeof kernel === 'number' ? ([kernel, kernel] as const) : kernel;
  const p = options.padding ?? 0;
  return {
    name,
    inChannels,
    outChannels,
    kernel: k,
    stride: options.stride ?? 1,
    padding: typeof p === 'number' ? [p, p] : p,
  };
}

/** Mixed_5b/c/d (torchvision InceptionA): output 64 + 64 + 96 + poolFeatures channels. */
function blockA(name: string, cin: number, poolFeatures: number): ConvLayer[] {
  return [
    conv(`${name}.branch1x1`, cin, 64, 1),
    conv(`${name}.branch5x5_1`, cin, 48, 1),
    conv(`${name}.branch5x5_2`, 48, 64, 5, { padding: 2 }),
    conv(`${name}.branch3x3dbl_1`, cin, 64, 1),
    conv(`${name}.branch3x3dbl_2`, 64, 96, 3, { padding: 1 }),
    conv(`${name}.branch3x3dbl_3`, 96, 96, 3, { padding: 1 }),
    conv(`${name}.branch_pool`, cin, poolFeatures, 1),
  ];
}

/** Mixed_6a (InceptionB): stride-2 reduction, output 384 + 96 + cin channels. */
function blockB(name: string, cin: number): ConvLayer[] {
  return [
    conv(`${name}.branch3x3`, cin, 384, 3, { stride: 2 }),
    conv(`${name}.branch3x3dbl_1`, cin, 64, 1),
    conv(`${name}.branch3x3dbl_2`, 64, 96, 3, { padding: 1 }),
    conv(`${name}.branch3x3dbl_3`, 96, 96, 3, { stride: 2 }),
  ];
}

/** Mixed_6b..e (InceptionC): factorised 7x7 branches of width c7, output 4 x 192 channels. */
function blockC(name: string, c7: number): ConvLayer[] {
  const row = [1, 7] as const;
  const col = [7, 1] as const;
  return [
    conv(`${name}.branch1x1`, 768, 192, 1),
    conv(`${name}.branch7x7_1`, 768, c7, 1),
    conv(`${name}.branch7x7_2`, c7, c7, row, { padding: [0, 3] }),
    conv(`${name}.branch7x7_3`, c7, 192, col, { padding: [3, 0] }),
    conv(`${name}.branch7x7dbl_1`, 768, c7, 1),
    conv(`${name}.branch7x7dbl_2`, c7, c7, col, { padding: [3, 0] }),
    conv(`${name}.branch7x7dbl_3`, c7, c7, row, { padding: [0, 3] }),
    conv(`${name}.branch7x7dbl_4`, c7, c7, col, { padding: [3, 0] }),
    conv(`${name}.branch7x7dbl_5`, c7, 192, row, { padding: [0, 3] }),
    conv(`${name}.branch_pool`, 768, 192, 1),
  ];
}

/** Mixed_7a (InceptionD): stride-2 reduction, output 320 + 192 + 768 channels. */
function blockD(name: string): ConvLayer[] {
  return [
    conv(`${name}.branch3x3_1`, 768, 192, 1),
    conv(`${name}.branch3x3_2`, 192, 320, 3, { stride: 2 }),
    conv(`${name}.branch7x7x3_1`, 768, 192, 1),
    conv(`${name}.branch7x7x3_2`, 192, 192, [1, 7], { padding: [0, 3] }),
    conv(`${name}.branch7x7x3_3`, 192, 192, [7, 1], { padding: [3, 0] }),
    conv(`${name}.branch7x7x3_4`, 192, 192, 3, { stride: 2 }),
  ];
}

/** Mixed_7b/c (InceptionE): split 1x3 / 3x1 branches, output 320 + 768 + 768 + 192 = 2048. */
function blockE(name: string, cin: number): ConvLayer[] {
  return [
    conv(`${name}.branch1x1`, cin, 320, 1),
    conv(`${name}.branch3x3_1`, cin, 384, 1),
    conv(`${name}.branch3x3_2a`, 384, 384, [1, 3], { padding: [0, 1] }),
    conv(`${name}.branch3x3_2b`, 384, 384, [3, 1], { padding: [1, 0] }),
    conv(`${name}.branch3x3dbl_1`, cin, 448, 1),
    conv(`${name}.branch3x3dbl_2`, 448, 384, 3, { padding: 1 }),
    conv(`${name}.branch3x3dbl_3a`, 384, 384, [1, 3], { padding: [0, 1] }),
    conv(`${name}.branch3x3dbl_3b`, 384, 384, [3, 1], { padding: [1, 0] }),
    conv(`${name}.branch_pool`, cin, 192, 1),
  ];
}

/** All 94 convolutions, stem first (input 3 channels in [−1, 1]). */
export const INCEPTION_LAYERS: readonly ConvLayer[] = [
  conv('Conv2d_1a_3x3', 3, 32, 3, { stride: 2 }),
  conv('Conv2d_2a_3x3', 32, 32, 3),
  conv('Conv2d_2b_3x3', 32, 64, 3, { padding: 1 }),
  conv('Conv2d_3b_1x1', 64, 80, 1),
  conv('Conv2d_4a_3x3', 80, 192, 3),
  ...blockA('Mixed_5b', 192, 32),
  ...blockA('Mixed_5c', 256, 64),
  ...blockA('Mixed_5d', 288, 64),
  ...blockB('Mixed_6a', 288),
  ...blockC('Mixed_6b', 128),
  ...blockC('Mixed_6c', 160),
  ...blockC('Mixed_6d', 160),
  ...blockC('Mixed_6e', 192),
  ...blockD('Mixed_7a'),
  ...blockE('Mixed_7b', 1280),
  ...blockE('Mixed_7c', 2048),
];

/** The five state-dict tensors of one BasicConv2d, with their PyTorch shapes. */
export function basicConvTensors(layer: ConvLayer): { name: string; shape: number[] }[] {
  const { name, inChannels, outChannels, kernel } = layer;
  return [
    { name: `${name}.conv.weight`, shape: [outChannels, inChannels, kernel[0], kernel[1]] },
    ...['weight', 'bias', 'running_mean', 'running_var'].map((p) => ({
      name: `${name}.bn.${p}`,
      shape: [outChannels],
    })),
  ];
}
