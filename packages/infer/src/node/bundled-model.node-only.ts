/**
 * Node-only: where the bundled trained checkpoint lives (`assets/lsr-64.safetensors` in this
 * package, trained by th-train on the VoxCeleb2 sample). If it is missing (e.g. a trimmed install),
 * the CLI asks for `--checkpoint` with a clear message. It holds the inference weights only (no
 * discriminator): subject fine-tuning needs a checkpoint with one.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BUNDLED_MODEL_FILE = 'lsr-64.safetensors';

export function bundledModelPath(): string {
  const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  return join(dirname(req.resolve('@th/infer/package.json')), 'assets', BUNDLED_MODEL_FILE);
}

/** The checkpoint to use: the one given (`bundled` names the bundled one), else the bundled one. */
export function resolveCheckpoint(given: string | undefined): string {
  if (given && given !== 'bundled') return given;
  const bundled = bundledModelPath();
  if (!existsSync(bundled)) {
    throw new Error(
      `no bundled model at ${bundled} (a trimmed install?): pass --checkpoint <file.safetensors>`,
    );
  }
  return bundled;
}
