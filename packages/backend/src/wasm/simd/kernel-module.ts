import { convFilterGradFunction } from './conv-filter-grad';
import { convForwardFunction } from './conv-forward';
import { copyRowsFunction } from './copy-rows';
import { packBlocksFunction } from './pack-blocks';
import { sumAxisFunction } from './sum-axis';
import { buildModule } from './wasm-builder';

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
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** The module's bytes for a memory that is shared (tfjs' threaded build) or not. */
export function kernelModuleBytes(sharedMemory: boolean): Uint8Array {
  const functions = [
    convForwardFunction(),
    convFilterGradFunction(),
    copyRowsFunction(),
    packBlocksFunction(),
    sumAxisFunction(),
  ];
  const names = functions.map((f) => f.exportName);
  if (names.join() !== KERNEL_NAMES.join()) {
    throw new Error(`kernel module: export order ${names} differs from KERNEL_NAMES`);
  }
  return buildModule(functions, sharedMemory);
}
