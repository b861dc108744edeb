/**
 * A small argv parser for `th`: `--flag`, `--name value`, and `--source a b c` (a list runs until
 * the next `--option`). Unknown options and missing values are usage errors that name the option.
 */
export class UsageError extends Error {}

export interface OptionSpec {
  kind: 'flag' | 'value' | 'list';
}

export interface Parsed {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): Parsed {
  const out: Parsed = { positionals: [], flags: new Set(), values: new Map(), lists: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      out.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const opt = spec[name];
    if (!opt) throw new UsageError(`unknown option --${name}`);
    if (opt.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.flags.add(name);
    } else if (opt.kind === 'value') {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`--${name} needs a value`);
      out.values.set(name, v);
    } else {
      const items = inline !== undefined ? [inline] : [];
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) items.push(argv[++i]!);
      if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
      out.lists.set(name, [...(out.lists.get(name) ?? []), ...items]);
    }
  }
  return out;
}

/** A positive (finite) number option, or undefined when absent. */
export function positiveNumberOption(parsed: Parsed, name: string): number | undefined {
  const v = parsed.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0))
    throw new UsageError(`--${name} must be a positive number, got "${v}"`);
  return n;
}

/** A positive integer option, or undefined when absent. */
export function intOption(parsed: Parsed, name: string): number | undefined {
  const v = parsed.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}
