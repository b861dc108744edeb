import { BASELINES, type Baseline } from './settings';

/** The two numbers the baseline check compares (null: not measured). */
export interface PsnrSsim {
  readonly psnr: number | null;
  readonly ssim: number | null;
}

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

/**
 * Whether a model's row beats both trivial baselines (issue #17's acceptance): its PSNR and its
 * SSIM each strictly above those of copy-first and of source-mean at the same K and on the same
 * pairs. `null` (no verdict) when a baseline was not scored or a number is missing, so a partial
 * evaluation never reads as a pass or a fail.
 */
export function beatsBaselines(
  row: PsnrSsim,
  baselines: Partial<Record<Baseline, PsnrSsim>>,
): boolean | null {
  if (!finite(row.psnr) || !finite(row.ssim)) return null;
  let beats = true;
  for (const name of BASELINES) {
    const b = baselines[name];
    if (!b || !finite(b.psnr) || !finite(b.ssim)) return null;
    beats &&= row.psnr > b.psnr && row.ssim > b.ssim;
  }
  return beats;
}

/** How a verdict reads in the report: yes, no, or n/a with the reason. */
export const verdictText = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'no');

/** The reason a verdict is n/a (footnote text). */
export const NO_VERDICT =
  'beating the baselines needs PSNR and SSIM of the row and of both baselines (copy-first, source-mean) at the same K: pass --baselines';
