/**
 * Test and device-script helper: run the self-reenactment of the fixture person
 * (fixture-reenactment.ts) with a checkpoint on a reference backend in f32 and on WebGPU with
 * precision 'mixed', and measure how far the output images (range about [-1, 1]) move.
 */
import { type GemmPath, init, setPrecision } from '@th/backend';
import { loadModel } from '../model/load-model';
import { fixtureReenactment, type OutputDiff, outputDiff } from './fixture-reenactment';
import { FIXTURES } from './fixtures';

export interface MixedInferenceDiff extends OutputDiff {
  /** The GEMM path the mixed run took. */
  path: GemmPath;
  splitWeights: boolean;
}

export async function mixedInferenceDiff(
  checkpoint: string,
  options: {
    splitWeights: boolean;
    reference: 'wasm' | 'cpu' | 'webgpu';
    /** Folder of the VoxCeleb2 fixtures (default: the repository's fixtures/voxceleb2). */
    fixtures?: string;
    /** `init`'s webgpuModule, for bundles that carry tfjs-backend-webgpu inside. */
    webgpuModule?: () => Promise<unknown>;
  },
): Promise<MixedInferenceDiff> {
  // On WebGPU the first init creates Dawn's GPU object: with precision mixed it gets the toggles
  // NVIDIA needs for f16; the reference then runs with the precision switched to f32.
  await init({
    backend: options.reference,
    precision: options.reference === 'webgpu' ? 'mixed' : 'f32',
    ...(options.webgpuModule ? { webgpuModule: options.webgpuModule } : {}),
  });
  setPrecision('f32');
  const { model } = await loadModel(checkpoint);
  const read = await fixtureReenactment(model, options.fixtures ?? FIXTURES);
  const f32 = await read();
  await init({
    backend: 'webgpu',
    precision: 'mixed',
    splitWeights: options.splitWeights,
    ...(options.webgpuModule ? { webgpuModule: options.webgpuModule } : {}),
  });
  const report = setPrecision('mixed', { splitWeights: options.splitWeights });
  const mixed = await read();
  setPrecision('f32');
  model.dispose();
  return { path: report.gemm, splitWeights: report.splitWeights, ...outputDiff(f32, mixed) };
}
