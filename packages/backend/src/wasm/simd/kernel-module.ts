import { convFilterGradFunction } from './conv-filter-grad';
import { convForwardFunction } from './conv-forward';
import { copyRowsFunction } from './copy-rows';
import {
  channelAffineFunction,
  channelMomentsFunction,
  inGradSumsFunction,
  inGradXFunction,
} from './instance-norm-simd';
import { leakyReluFunction, leakyReluGradFunction } from './leaky-relu-simd';
import { packBlocksFunction } from './pack-blocks';
import { sumAxisFunction } from './sum-axis';
import { upsampleAxisFunction } from './upsample-simd';
import { buildModule } from './wasm-builder';
import { winoGemmFunction } from './wino-gemm';
import { winoGradDyFunction, winoInputFunction, winoOutputFunction } from './winograd-transforms';

/**
 * Input-channel counts with their own forward-conv kernel (immediate offsets between neighbouring
 * pixels): those of LSR's convolutions and their input gradients at every preset.
 */
export const SPECIALIZED_CI = [3, 6, 8, 16, 19, 22, 32, 64, 128, 256, 512] as const;

/**
 * The kernels of @th's wasm module, in export order. Every kernel has the signature
 * `(tile, args, thread)`: it does one tile of a job whose parameters are the i32 block at
 * `args`, and `thread` (0 = the calling thread) selects per-thread scratch where a kernel has
 * any. A job's tiles can run on any thread in any order.
 */
export const KERNEL_NAMES = [
  'conv_forward',
  'conv_filter_grad',
  'copy_rows',
  'pack_blocks',
  'sum_axis',
  'leaky_relu',
  'leaky_relu_grad',
  'channel_moments',
  'channel_affine',
  'upsample_axis',
  'upsample_axis_adjoint',
  'in_grad_sums',
  'in_grad_x',
  'wino_input',
  'wino_input_panels',
  'wino_output',
  'wino_grad_dy',
  'wino_gemm_rows',
  'wino_gemm_quads',
  ...SPECIALIZED_CI.map((ci) => `conv_forward_ci${ci}` as const),
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** The forward-conv kernel for `ci` input channels: a specialised one if there is one. */
export function convForwardKernel(ci: number): KernelName {
  return (SPECIALIZED_CI as readonly number[]).includes(ci)
    ? (`conv_forward_ci${ci}` as KernelName)
    : 'conv_forward';
}

/** The module's bytes for a memory that is shared (tfjs' threaded build) or not. */
export function kernelModuleBytes(sharedMemory: boolean): Uint8Array {
  const functions = [
    convForwardFunction(),
    convFilterGradFunction(),
    copyRowsFunction(),
    packBlocksFunction(),
    sumAxisFunction(),
    leakyReluFunction(),
    leakyReluGradFunction(),
    channelMomentsFunction(),
    channelAffineFunction(),
    upsampleAxisFunction(false),
    upsampleAxisFunction(true),
    inGradSumsFunction(),
    inGradXFunction(),
    winoInputFunction('channels-inner'),
    winoInputFunction('tiles-inner'),
    winoOutputFunction(),
    winoGradDyFunction(),
    winoGemmFunction('rows'),
    winoGemmFunction('quads'),
    ...SPECIALIZED_CI.map((ci) => convForwardFunction(ci)),
  ];
  const names = functions.map((f) => f.exportName);
  if (names.join() !== KERNEL_NAMES.join()) {
    throw new Error(`kernel module: export order ${names} differs from KERNEL_NAMES`);
  }
  return buildModule(functions, sharedMemory);
}
