import type { TrainConfig } from './train-config';

/** One field of the config that differs between the run as recorded and as resumed. */
export interface ConfigChange {
  /** Dotted path, e.g. `schedule.baseLearningRate`. */
  field: string;
  was: unknown;
  now: unknown;
}

/** What a run's config.json records besides the config: each resume that changed something. */
export interface ConfigHistoryEntry {
  /** The step training continued from with these changes. */
  fromStep: number;
  changes: ConfigChange[];
}

/**
 * Fields that make a run what it is: the model, the stage, the data and its order, the batch, the
 * feature networks. Continuing a run with another value would silently train something else (or
 * break the restored state), so a resume refuses to change them.
 */
export const FIXED_ON_RESUME = [
  'preset',
  'model',
  'stage',
  'seed',
  'batch',
  'k',
  'data.path',
  'data.landmarks',
  'data.shuffleBuffer',
  'data.rank',
  'data.worldSize',
  'vgg19',
  'vggFace',
  'finetune',
] as const;

/** Fields without meaning for a resumed run (where it started, how it was named, what to resume). */
const NOT_COMPARED = ['resume', 'init', 'run'];

const under = (field: string, prefixes: readonly string[]) =>
  prefixes.some((p) => field === p || field.startsWith(`${p}.`));

/** Leaves of a plain JSON object by dotted path (arrays and primitives are leaves). */
function leaves(
  value: unknown,
  prefix = '',
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** Every field whose value differs between `was` and `now`, in `now`'s order. */
export function configChanges(was: TrainConfig, now: TrainConfig): ConfigChange[] {
  const a = leaves(was);
  const b = leaves(now);
  const fields = [...new Set([...b.keys(), ...a.keys()])];
  return fields
    .filter((f) => !under(f, NOT_COMPARED))
    .filter((f) => JSON.stringify(a.get(f)) !== JSON.stringify(b.get(f)))
    .map((field) => ({ field, was: a.get(field), now: b.get(field) }));
}

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/** `steps: 120 → 200`. */
export function formatChange(c: ConfigChange): string {
  return `${c.field}: ${show(c.was)} → ${show(c.now)}`;
}

/**
 * The config a resumed run continues with, checked against the one it recorded: fields of
 * `FIXED_ON_RESUME` must be unchanged (else an error listing each, saying how to proceed); the
 * other changes are returned, to be applied with a warning and recorded. `run` and `init` are the
 * recorded ones.
 */
export function planResume(
  recorded: TrainConfig,
  requested: TrainConfig,
  runDir: string,
): { config: TrainConfig; changes: ConfigChange[] } {
  const all = configChanges(recorded, requested);
  const refused = all.filter((c) => under(c.field, FIXED_ON_RESUME));
  if (refused.length) {
    throw new Error(
      `--resume ${runDir}: the run was recorded with other values of fields that cannot change mid-run:\n` +
        refused
          .map((c) => `  ${c.field}: run has ${show(c.was)}, given ${show(c.now)}`)
          .join('\n') +
        '\nleave them out to continue the run as recorded (its config.json), or start a new run (e.g. --init from one of its checkpoints)',
    );
  }
  return {
    config: { ...requested, run: recorded.run, init: recorded.init },
    changes: all,
  };
}
