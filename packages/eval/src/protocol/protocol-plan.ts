import { SETTINGS, type Setting } from '@th/metrics';

/** Folder names of the outputs layout `<K>/<meta|ft>/<identity>/NNNNN.png`. */
export const SETTING_DIRS: Record<Setting, string> = { meta: 'meta', finetuned: 'ft' };

/** docs/design.md#fsth-protocol: K ∈ {1, 4, 8, 32} × {meta, fine-tuned}. */
export const DEFAULT_KS: readonly number[] = [1, 4, 8, 32];

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

/** "meta,finetuned" (or "ft") → settings, in the order given. */
export function parseSettings(text: string): Setting[] {
  const out: Setting[] = [];
  for (const raw of text.split(',').map((s) => s.trim())) {
    const setting = raw === 'ft' ? 'finetuned' : raw;
    if (!(SETTINGS as readonly string[]).includes(setting))
      throw new Error(`--settings: "${raw}" is not one of meta, finetuned (or ft)`);
    if (out.includes(setting as Setting)) throw new Error(`--settings: "${raw}" given twice`);
    out.push(setting as Setting);
  }
  return out;
}
