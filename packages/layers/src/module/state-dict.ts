import type * as tf from '@tensorflow/tfjs-core';
import { type Parameter, shapesEqual } from './parameter';

export interface LoadStateDictOptions {
  /** Reject names missing from the dict or not in the module (default true). */
  strict?: boolean;
}

/**
 * Validate `dict` against `params` and, only if everything is consistent, copy the values in.
 * Problems are gathered first so one error message names every missing, unexpected and
 * mis-shaped entry, and a failed load leaves the module untouched.
 */
export function loadStateDictInto(
  params: Array<[string, Parameter]>,
  dict: Record<string, tf.Tensor>,
  options: LoadStateDictOptions,
  owner: string,
): void {
  const strict = options.strict ?? true;
  const known = new Set(params.map(([name]) => name));
  const missing = params.filter(([name]) => !(name in dict)).map(([name]) => name);
  const unexpected = Object.keys(dict).filter((name) => !known.has(name));
  const misShaped: string[] = [];
  for (const [name, p] of params) {
    const t = dict[name];
    if (t && !shapesEqual(t.shape, p.shape)) {
      misShaped.push(`${name}: checkpoint [${t.shape}] vs module [${p.shape}]`);
    }
  }
  const problems: string[] = [];
  if (strict && missing.length) problems.push(`missing: ${missing.join(', ')}`);
  if (strict && unexpected.length) problems.push(`unexpected: ${unexpected.join(', ')}`);
  if (misShaped.length) problems.push(`mis-shaped: ${misShaped.join('; ')}`);
  if (problems.length) {
    throw new Error(`${owner}.loadStateDict: ${problems.join(' | ')}`);
  }
  for (const [name, p] of params) {
    const t = dict[name];
    if (t) p.setValue(t);
  }
}
