import type { RawTensor } from '@th/backend';

/** What a model expects for one named tensor. */
export interface TensorSpec {
  shape: readonly number[];
  dtype: string;
}

export interface MatchOptions {
  /** Only names starting with one of these prefixes are loaded/required (partial loading). */
  only?: string[];
  /** Tolerate model tensors absent from the file (default false). */
  allowMissing?: boolean;
  /** Tolerate file tensors the model does not have (default: true when `only` is given). */
  allowUnexpected?: boolean;
}

export interface MatchReport {
  /** Names that will be loaded. */
  matched: string[];
  missing: string[];
  unexpected: string[];
  mismatched: { name: string; expected: string; found: string }[];
}

const DT: Record<string, string> = { float32: 'F32', int32: 'I32' };
/**
 * File dtypes that load into a model dtype: float32 parameters also from F16 and BF16, which
 * `rawToTensor` widens exactly (weights shipped in half precision, PyTorch mixed-precision files).
 */
const LOADS_AS: Record<string, readonly string[]> = {
  float32: ['F32', 'F16', 'BF16'],
  int32: ['I32'],
};
const fmt = (shape: readonly number[], dtype: string) => `[${shape.join(', ')}] ${dtype}`;

/** Compare a model's expected tensors against a file's, by name, shape and dtype. */
export function matchState(
  expected: Record<string, TensorSpec>,
  found: Map<string, RawTensor>,
  options: MatchOptions = {},
): MatchReport {
  const inScope = (name: string) => !options.only || options.only.some((p) => name.startsWith(p));
  const report: MatchReport = { matched: [], missing: [], unexpected: [], mismatched: [] };
  for (const [name, spec] of Object.entries(expected)) {
    if (!inScope(name)) continue;
    const f = found.get(name);
    if (!f) {
      report.missing.push(name);
      continue;
    }
    const sameShape =
      f.shape.length === spec.shape.length && f.shape.every((d, i) => d === spec.shape[i]);
    if (!sameShape || !(LOADS_AS[spec.dtype] ?? [DT[spec.dtype]]).includes(f.dtype)) {
      report.mismatched.push({
        name,
        expected: fmt(spec.shape, DT[spec.dtype] ?? spec.dtype),
        found: fmt(f.shape, f.dtype),
      });
      continue;
    }
    report.matched.push(name);
  }
  for (const name of found.keys())
    if (inScope(name) && !(name in expected)) report.unexpected.push(name);
  return report;
}

/** How many names or tensors an error lists before "and N more". */
const LISTED = 5;

/** `a, b, c, d, e and 15 more`. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/**
 * Throw one error describing every problem the options do not tolerate (at most five tensors
 * of each kind by name, then how many more); return the report otherwise.
 */
export function assertMatch(
  report: MatchReport,
  options: MatchOptions = {},
  source = 'checkpoint',
): MatchReport {
  const allowUnexpected = options.allowUnexpected ?? options.only !== undefined;
  const lines: string[] = [];
  if (report.mismatched.length) {
    lines.push(`${report.mismatched.length} tensor(s) with the wrong shape or dtype:`);
    for (const m of report.mismatched.slice(0, LISTED))
      lines.push(`  ${m.name}: model expects ${m.expected}, file has ${m.found}`);
    if (report.mismatched.length > LISTED)
      lines.push(`  and ${report.mismatched.length - LISTED} more`);
  }
  if (report.missing.length && !options.allowMissing)
    lines.push(`missing from the file: ${listNames(report.missing)}`);
  if (report.unexpected.length && !allowUnexpected)
    lines.push(`not in the model: ${listNames(report.unexpected)}`);
  if (options.only && report.matched.length === 0)
    lines.push(`nothing matched the prefixes ${options.only.join(', ')}`);
  if (lines.length) throw new Error(`${source} does not fit this model:\n${lines.join('\n')}`);
  return report;
}
