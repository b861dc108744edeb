import { readFileSync } from 'node:fs';
import type { TrainConfig } from '@th/train';
import { type CliArgs, deepMerge, setPath } from './cli-args';
import { parseTrainConfig } from './config-schema';

/**
 * preset < config file < command line: the preset only names the model (its defaults are the
 * schema's), the file overrides any field, flags and --set override the file. With `base` (a
 * resumed run's recorded config) in place of the defaults.
 */
export function resolveConfig(
  args: CliArgs,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  base: TrainConfig | null = null,
): TrainConfig {
  // A resume starts from the run's recorded config, not from the defaults: only what is given
  // now (config file, flags) differs from it.
  let raw: Record<string, unknown> = base ? { ...base } : {};
  if (args.configFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readText(args.configFile));
    } catch (e) {
      throw new Error(`--config ${args.configFile}: ${(e as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`--config ${args.configFile}: expected a JSON object`);
    raw = deepMerge(raw, parsed as Record<string, unknown>);
  }
  const cli: Record<string, unknown> = {};
  for (const [path, value] of args.overrides) setPath(cli, path, value);
  raw = deepMerge(raw, cli);
  const config = parseTrainConfig(raw);
  if (args.examples !== null) config.steps = Math.ceil(args.examples / config.batch);
  if (config.finetune.enabled && !config.init && config.resume === null)
    throw new Error('--finetune needs the meta-learned model: --init PATH');
  return config;
}
