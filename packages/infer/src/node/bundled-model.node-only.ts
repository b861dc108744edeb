/**
 * Node-only: where the bundled trained checkpoint lives (`assets/lsr-64.safetensors` in this
 * package, trained by th-train on the VoxCeleb2 sample). If it is missing (e.g. a trimmed install),
 * the CLI asks for `--checkpoint` with a clear message.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BUNDLED_MODEL_FILE = 'lsr-64.safetensors';

export function bundledModelPath(): string {
  const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  return join(dirname(req.resolve('@th/infer/package.json')), 'assets', BUNDLED_MODEL_FILE);
}

/** The checkpoint to use: the one given, else the bundled one; errors say what to pass. */
export function resolveCheckpoint(given: string | undefined): string {
  if (given) return given;
  const bundled = bundledModelPath();
  if (!existsSync(bundled)) {
    throw new Error(
      `no checkpoint given and no bundled model at ${bundled}: pass --checkpoint <file.safetensors>`,
    );
  }
  return bundled;
}
