import { fileURLToPath } from 'node:url';
import { bundledFullCheckpointPath, bundledModelName } from '@th/infer/node';

/** The repository's VoxCeleb2 fixtures (see fixtures/voxceleb2/README.md). */
export const FIXTURES_DIR = fileURLToPath(
  new URL('../../../../fixtures/voxceleb2/', import.meta.url),
);

/** FSTH layout: frames/{train,test}/<identity>/<video>/NNNNN_rgb.png (4 identities, 4 + 2 frames). */
export const FRAMES_DIR = `${FIXTURES_DIR}frames/`;

/**
 * The bundled model's full checkpoint, with its discriminator (fine-tuning needs D), kept in the
 * repository (`assets/<name>.full.safetensors` of @th/infer); @th/infer ships it without D.
 */
export const TRAINED_CHECKPOINT = bundledFullCheckpointPath();

/** The bundled model's name (e.g. "lsr-64"), as @th/infer's package.json sets it. */
export const BUNDLED_NAME = bundledModelName();
