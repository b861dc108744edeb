import { beatsBaselines, type PsnrSsim } from '../report/baseline-verdict';
import { BASELINES, type Baseline, isBaseline, type Setting } from '../report/settings';
import type { SettingDetails } from './evaluate-outputs.node-only';

/**
 * The pairs a setting was scored on, as "identity×count" sorted: a baseline is compared with a
 * model row only when both were scored on the same identities and frame counts.
 */
export function scoredOn(identities: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of identities) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, n]) => `${id}×${n}`)
    .join(',');
}

/** One model row (all identities, or one) set against the baselines of the same K. */
export interface BaselineComparison {
  readonly k: number;
  readonly setting: Setting;
  /** null: all identities of the setting together. */
  readonly identity: string | null;
  readonly psnr: number;
  readonly ssim: number;
  /** The baselines' PSNR and SSIM on the same pairs (absent: not scored). */
  readonly baselines: Partial<Record<Baseline, PsnrSsim>>;
  /** Beats both in PSNR and SSIM; null when a baseline is missing. */
  readonly beatsBaselines: boolean | null;
}

/**
 * Every model (K, setting) against copy-first and source-mean at the same K: over all identities
 * and per identity. A baseline counts only where it was scored on the same pairs (same identities
 * and frame counts); otherwise the verdict is null. Empty when no baseline was scored.
 */
export function compareWithBaselines(details: readonly SettingDetails[]): BaselineComparison[] {
  if (!details.some((d) => isBaseline(d.setting))) return [];
  const out: BaselineComparison[] = [];
  for (const d of details) {
    if (isBaseline(d.setting)) continue;
    const setting = d.setting;
    const baselinesOf = (pick: (b: SettingDetails) => PsnrSsim | undefined) => {
      const found: Partial<Record<Baseline, PsnrSsim>> = {};
      for (const name of BASELINES) {
        const b = details.find((x) => x.k === d.k && x.setting === name);
        const score = b && pick(b);
        if (score) found[name] = score;
      }
      return found;
    };
    const identities = (x: SettingDetails) =>
      scoredOn(x.perIdentity.flatMap((p) => Array<string>(p.pairs).fill(p.identity)));
    const row = (identity: string | null, score: PsnrSsim & { psnr: number; ssim: number }) => {
      // Only a baseline scored on the same pairs counts (same identities, same frame counts).
      const baselines = baselinesOf((b) => {
        if (identity === null) return identities(b) === identities(d) ? b : undefined;
        const mine = d.perIdentity.find((p) => p.identity === identity)!;
        const theirs = b.perIdentity.find((p) => p.identity === identity);
        return theirs?.pairs === mine.pairs ? theirs : undefined;
      });
      out.push({
        k: d.k,
        setting,
        identity,
        psnr: score.psnr,
        ssim: score.ssim,
        baselines: Object.fromEntries(
          Object.entries(baselines).map(([n, b]) => [n, { psnr: b.psnr, ssim: b.ssim }]),
        ),
        beatsBaselines: beatsBaselines(score, baselines),
      });
    };
    row(null, d);
    for (const p of d.perIdentity) row(p.identity, p);
  }
  return out;
}
