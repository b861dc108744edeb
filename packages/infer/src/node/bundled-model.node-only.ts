/**
 * Node-only: where the bundled trained checkpoint lives. Its name is set in ONE place, the
 * `bundledModel` field of this package's package.json (e.g. "lsr-64"): the shipped file is
 * `assets/<name>.safetensors` (the inference weights only: no discriminator, no optimiser state),
 * and the repository (not the published package) keeps the same model with its discriminator as
 * `assets/<name>.full.safetensors`, which subject fine-tuning and the tests need. If the shipped
 * file is missing (e.g. a trimmed install), the CLI asks for `--checkpoint` with a clear message.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function inferPackage(): { dir: string; bundledModel: unknown } {
  const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  const manifest = req.resolve('@th/infer/package.json');
  return { dir: dirname(manifest), bundledModel: req(manifest).bundledModel };
}

/** The bundled model's name (`bundledModel` in @th/infer's package.json), e.g. "lsr-64". */
export function bundledModelName(): string {
  const { bundledModel } = inferPackage();
  if (typeof bundledModel !== 'string' || !/^[\w.-]+$/.test(bundledModel))
    throw new Error(
      `@th/infer's package.json: "bundledModel" must name the bundled model (a file stem such as "lsr-64"), got ${JSON.stringify(bundledModel)}`,
    );
  return bundledModel;
}

/** `assets/<name>.safetensors` in @th/infer: the shipped inference weights. */
export function bundledModelPath(): string {
  return join(inferPackage().dir, 'assets', `${bundledModelName()}.safetensors`);
}

/**
 * `assets/<name>.full.safetensors`: the bundled model with its discriminator, for fine-tuning and
 * tests. Only in the repository, not in the published package.
 */
export function bundledFullCheckpointPath(): string {
  return join(inferPackage().dir, 'assets', `${bundledModelName()}.full.safetensors`);
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
