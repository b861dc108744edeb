/**
 * Script and test helper: a full checkpoint (training checkpoint or weights with D) as the
 * inference weights @th/infer ships, in float32 and in half precision, and how far half precision
 * moves the outputs of the fixture self-reenactment (fixture-reenactment.ts) on the current
 * backend, in f32 arithmetic.
 */
import { pruneCheckpoint } from '@th/models';
import { loadModel } from '../model/load-model';
import { fixtureReenactment, type OutputDiff, outputDiff } from './fixture-reenactment';

/** The inference weights: everything but the discriminator and a training run's Adam moments. */
export const isInferenceWeight = (name: string) =>
  !name.startsWith('discriminator.') && !name.startsWith('optim.');

export interface InferenceWeights {
  f32: Uint8Array;
  f16: Uint8Array;
  /** f16 outputs against f32 outputs, same backend. */
  diff: OutputDiff;
}

export async function inferenceWeights(
  full: Uint8Array,
  source: string,
  /** The repository's fixtures/voxceleb2 folder. */
  fixtures: string,
): Promise<InferenceWeights> {
  const f32 = await pruneCheckpoint(full, isInferenceWeight, source);
  const f16 = await pruneCheckpoint(full, isInferenceWeight, source, { half: true });
  const render = async (bytes: Uint8Array, name: string) => {
    const { model } = await loadModel(bytes, { name });
    try {
      return await (await fixtureReenactment(model, fixtures))();
    } finally {
      model.dispose();
    }
  };
  const reference = await render(f32, `${source} (f32)`);
  const half = await render(f16, `${source} (f16)`);
  return { f32, f16, diff: outputDiff(reference, half) };
}
