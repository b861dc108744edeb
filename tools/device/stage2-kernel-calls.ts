/**
 * The lsr stage-2 step bench (packages/train/bench/stage2-step.ts) on webgpu, with @th's WGSL
 * convolution/matmul kernels (default) or tfjs-webgpu's own (TH_STOCK_KERNELS=1), optionally
 * recording every conv/matmul call to TH_CALLS_OUT for packages/backend/bench/webgpu-kernels.ts.
 * Counts are calls per step, averaged over the run (which ends with one unpenalised D pass).
 *
 *   npx turbo run build --filter=@th/train...
 *   node tools/device/bundle.mjs tools/device/stage2-kernel-calls.ts stage2k
 *   TH_PRESET=lsr-224 TH_BATCH=4 TH_K=4 TH_STEPS=4 TH_CALLS_OUT=calls.json node .device/stage2k.mjs
 */
import { writeFileSync } from 'node:fs';
import { init, restoreStockWebGpuKernels } from '@th/backend';
import { recordKernelCalls } from '../../packages/backend/bench/record-kernel-calls';

process.env.TH_BACKEND = 'webgpu';
// The step bench's own init({ backend: 'webgpu' }) then returns this report unchanged.
await init({ backend: 'webgpu', webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu') });
if (process.env.TH_STOCK_KERNELS === '1') {
  console.log(`# tfjs-webgpu's own kernels: ${restoreStockWebGpuKernels().join(', ')}`);
}
const out = process.env.TH_CALLS_OUT;
if (out) {
  const recorder = recordKernelCalls();
  const steps = Number(process.env.TH_STEPS ?? 5);
  process.on('exit', () => {
    const calls = recorder.stop().map((c) => ({ ...c, count: c.count / steps }));
    writeFileSync(out, `${JSON.stringify(calls, null, 1)}\n`);
    console.log(`# ${calls.length} distinct conv/matmul calls written to ${out}`);
  });
}
await import('../../packages/train/bench/stage2-step');
