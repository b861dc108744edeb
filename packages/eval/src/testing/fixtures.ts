import { fileURLToPath } from 'node:url';

/** The repository's VoxCeleb2 fixtures (see fixtures/voxceleb2/README.md). */
export const FIXTURES_DIR = fileURLToPath(
  new URL('../../../../fixtures/voxceleb2/', import.meta.url),
);

/** FSTH layout: frames/{train,test}/<identity>/<video>/NNNNN_rgb.png (4 identities, 4 + 2 frames). */
export const FRAMES_DIR = `${FIXTURES_DIR}frames/`;

/**
 * The trained lsr-64 checkpoint with its discriminator (fine-tuning needs D), kept in the
 * repository; @th/infer ships it without D (its bundled model, `assets/lsr-64.safetensors`).
 */
export const TRAINED_CHECKPOINT = fileURLToPath(
  new URL('../../../infer/assets/lsr-64.full.safetensors', import.meta.url),
);
