import {
  BASELINES,
  isBaseline,
  OUTPUT_FOLDERS,
  OUTPUTS_SETTINGS,
  type OutputsSetting,
} from '@th/metrics';

/**
 * Folder names of the outputs layout `<K>/<meta|ft|copy-first|source-mean>/<identity>/NNNNN.png`
 * (@th/metrics reads the same names).
 */
export const SETTING_DIRS: Readonly<Record<OutputsSetting, string>> = OUTPUT_FOLDERS;

/** docs/design.md#fsth-protocol: K ∈ {1, 4, 8, 32} × {meta, fine-tuned}. */
export const DEFAULT_KS: readonly number[] = [1, 4, 8, 32];

/** The model settings rendered when --settings is not given. */
export const DEFAULT_MODEL_SETTINGS: readonly OutputsSetting[] = ['meta', 'finetuned'];

/** "1,4,32" → [1, 4, 32]; every entry a positive integer, no repeats. */
export function parseKList(text: string, flag = '--k'): number[] {
  const ks = text.split(',').map((s) => s.trim());
  const values = ks.map(Number);
  const bad = ks.filter((s, i) => !/^\d+$/.test(s) || values[i]! < 1);
  if (bad.length)
    throw new Error(`${flag}: expected positive integers like 1,4,8,32, got "${text}"`);
  if (new Set(values).size !== values.length) throw new Error(`${flag}: repeated K in "${text}"`);
  return values;
}

/** "meta,finetuned,copy-first" (ft = finetuned) → settings, in the order given. */
export function parseSettings(text: string): OutputsSetting[] {
  const out: OutputsSetting[] = [];
  for (const raw of text.split(',').map((s) => s.trim())) {
    const setting = raw === 'ft' ? 'finetuned' : raw;
    if (!(OUTPUTS_SETTINGS as readonly string[]).includes(setting))
      throw new Error(
        `--settings: "${raw}" is not one of meta, finetuned (or ft), copy-first, source-mean`,
      );
    if (out.includes(setting as OutputsSetting))
      throw new Error(`--settings: "${raw}" given twice`);
    out.push(setting as OutputsSetting);
  }
  return out;
}

/**
 * What model mode renders, from --settings, --baselines and whether a --checkpoint was given:
 * --settings (default meta,finetuned with a checkpoint), plus both baselines with --baselines.
 * Without a checkpoint only baselines can be rendered: --baselines alone means both, and a
 * model setting is an error naming the missing flag.
 */
export function planSettings(options: {
  readonly settings?: string;
  readonly baselines: boolean;
  readonly checkpoint: boolean;
}): OutputsSetting[] {
  const given = options.settings === undefined ? undefined : parseSettings(options.settings);
  const base = given ?? (options.checkpoint ? [...DEFAULT_MODEL_SETTINGS] : []);
  const settings = options.baselines
    ? [...base, ...BASELINES.filter((b) => !base.includes(b))]
    : base;
  if (!options.checkpoint) {
    const model = settings.filter((s) => !isBaseline(s));
    if (model.length)
      throw new Error(
        `--settings ${model.join(',')} needs --checkpoint FILE (without one, only the baselines copy-first, source-mean are rendered)`,
      );
    if (settings.length === 0)
      throw new Error(
        '--data needs --checkpoint FILE (render a model) or --baselines (the trivial baselines only)',
      );
  }
  return settings;
}
