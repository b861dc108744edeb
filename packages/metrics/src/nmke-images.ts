import type { HwcImage } from './image';
import { type LandmarkDetector, nmke, type Point2 } from './nmke';

/** One generated/real pair's landmarks; null where the detector found no face. */
export interface LandmarkPair {
  readonly pred: readonly Point2[] | null;
  readonly gt: readonly Point2[] | null;
  /** Side length used by the image-size normaliser (max(width, height) of the real frame). */
  readonly imageSize: number;
}

/** NMKE over a set of frame pairs, with both normalisers and the detection failures. */
export interface NmkeSummary {
  /** Mean of NMKE ÷ GT inter-ocular distance over the scored pairs (NaN when none). */
  readonly interocular: number;
  /** Mean of NMKE ÷ image size over the scored pairs (NaN when none). */
  readonly imageSize: number;
  readonly pairs: number;
  readonly scored: number;
  /** Pairs skipped because no face was found in the generated / real frame (a pair can count twice). */
  readonly failedGenerated: number;
  readonly failedReal: number;
  /** Per-pair inter-ocular NMKE, null where the pair was not scored. */
  readonly perPair: (number | null)[];
}

/**
 * Aggregates NMKE (see {@link nmke}) over pairs. A pair whose generated or real frame has no
 * landmarks cannot be scored; it is counted in `failedGenerated` / `failedReal` and its entry in
 * `perPair` is null, so a report can say how many frames the mean leaves out.
 */
export function summarizeNmke(pairs: readonly LandmarkPair[]): NmkeSummary {
  let sumInter = 0;
  let sumImage = 0;
  let scored = 0;
  let failedGenerated = 0;
  let failedReal = 0;
  const perPair: (number | null)[] = [];
  for (const pair of pairs) {
    if (!pair.pred) failedGenerated++;
    if (!pair.gt) failedReal++;
    if (!pair.pred || !pair.gt) {
      perPair.push(null);
      continue;
    }
    const inter = nmke(pair.pred, pair.gt, { normalizer: 'interocular' });
    sumInter += inter;
    sumImage += nmke(pair.pred, pair.gt, { normalizer: 'image', imageSize: pair.imageSize });
    perPair.push(inter);
    scored++;
  }
  return {
    interocular: scored > 0 ? sumInter / scored : Number.NaN,
    imageSize: scored > 0 ? sumImage / scored : Number.NaN,
    pairs: pairs.length,
    scored,
    failedGenerated,
    failedReal,
    perPair,
  };
}

/**
 * NMKE between generated and real frames: detects 68 landmarks on both with `detector` (name it
 * in reports: numbers from different detectors are not comparable), then {@link summarizeNmke}.
 */
export async function nmkeOverImages(
  detector: LandmarkDetector,
  fakes: readonly HwcImage[],
  reals: readonly HwcImage[],
): Promise<NmkeSummary> {
  if (fakes.length !== reals.length) {
    throw new Error(`nmkeOverImages: ${fakes.length} generated images but ${reals.length} real`);
  }
  const pairs: LandmarkPair[] = [];
  for (let i = 0; i < fakes.length; i++) {
    const real = reals[i]!;
    pairs.push({
      pred: await detector.detect(fakes[i]!),
      gt: await detector.detect(real),
      imageSize: Math.max(real.width, real.height),
    });
  }
  return summarizeNmke(pairs);
}
