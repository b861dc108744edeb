import { fidFromFeatures } from '../fid/fid-score';
import { cosineSimilarity, type IdentityEmbedder } from '../id-sim';
import { FaceNotFoundError } from '../identity/face-not-found';
import type { HwcImage } from '../image';
import type { FeatureNetwork, PerceptualDistance } from '../networks';
import { type LandmarkDetector, nmke, type Point2 } from '../nmke';
import { type NmkeSummary, summarizeNmke } from '../nmke-images';
import { psnr } from '../psnr';
import { isBaseline, type OutputsSetting } from '../report/settings';
import type { MetricKey, MetricOutcome, SettingResult } from '../report/table';
import { ssim } from '../ssim';
import { scoredOn } from './baseline-comparison';
import { readPngRgb } from './frame-files.node-only';
import type { OutputsLayout } from './outputs-layout.node-only';
import { meanPerBucket, type PoseBucket, poseVarianceBuckets } from './pose-buckets';

/** PSNR and SSIM of one identity's pairs of a (K, setting). */
export interface IdentityScores {
  readonly identity: string;
  readonly pairs: number;
  readonly psnr: number;
  readonly ssim: number;
}

/** Everything measured for one (K, setting), beyond the Table-2 numbers. */
export interface SettingDetails {
  readonly k: number;
  readonly setting: OutputsSetting;
  readonly pairs: number;
  readonly psnr: number;
  readonly ssim: number;
  /** The same PSNR and SSIM per identity (sorted), for verdicts per identity. */
  readonly perIdentity: IdentityScores[];
  readonly idSim: { mean: number; scored: number; failedGenerated: number; failedReal: number };
  readonly nmke: Omit<NmkeSummary, 'perPair'>;
  /** Supplement Fig. 1: ID-SIM per source–target pose-variance bucket. */
  readonly idSimByPose: Record<PoseBucket, { mean: number; count: number }>;
}

export interface EvaluationResult {
  readonly results: SettingResult[];
  readonly details: SettingDetails[];
  readonly pose: {
    readonly upperBounds: readonly [number, number] | null;
    readonly bucketed: number;
    readonly withoutLandmarks: number;
    readonly note?: string;
  };
}

export interface EvaluateOptions {
  /** The model's label in the table; a baseline's rows are labelled "<baseline> (baseline)". */
  readonly method: string;
  readonly embedder: IdentityEmbedder;
  readonly detector: LandmarkDetector;
  /** "n/a" reasons for the network metrics that cannot run (e.g. MissingWeightsError messages). */
  readonly notRun: Partial<Record<MetricKey, string>>;
  /** LPIPS (per pair, averaged per setting), when its weights were supplied. */
  readonly lpips?: PerceptualDistance;
  /** FID's feature network: real vs generated frames of each setting, when supplied. */
  readonly fid?: FeatureNetwork;
  /**
   * Where ID-SIM's face alignment comes from. 'ground-truth' (default): both frames of a pair are
   * aligned on the landmarks detected on the real hold-out frame, which are the landmarks that drove
   * the generated frame, so a blurry output is still scored (a misplaced face scores lower, as it
   * should). 'detect': each frame is detected on its own; an output without a detectable face is
   * not scored and is counted.
   */
  readonly idAlignment?: 'ground-truth' | 'detect';
  readonly log?: (line: string) => void;
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

/** The Table-2 method label of a baseline's rows. */
export const baselineMethod = (baseline: string) => `${baseline} (baseline)`;

/** Per-image PSNR and SSIM averaged per identity (identities sorted). */
function scoresPerIdentity(
  identities: readonly string[],
  psnrs: readonly number[],
  ssims: readonly number[],
): IdentityScores[] {
  return [...new Set(identities)].sort().map((identity) => {
    const at = identities.flatMap((id, i) => (id === identity ? [i] : []));
    return {
      identity,
      pairs: at.length,
      psnr: mean(at.map((i) => psnrs[i]!)),
      ssim: mean(at.map((i) => ssims[i]!)),
    };
  });
}

/** Memoises an async function by key (real frames are shared by all eight settings). */
function cached<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const memo = new Map<string, Promise<T>>();
  return (key) => {
    if (!memo.has(key)) memo.set(key, fn(key));
    return memo.get(key)!;
  };
}

/**
 * Runs the FSTH protocol (docs/design.md#fsth-protocol) over generated frames matched to hold-out
 * ground truth:
 * per-image PSNR and SSIM (skimage definitions) averaged per setting, ID-SIM with the given
 * embedder, NMKE with the given detector (both normalisers), and the Figure-1 pose buckets
 * (terciles of NMKE between the identity's first source frame, the K = 1 shot, and each target).
 * Frames without a detectable face are counted per setting, never silently dropped.
 */
export async function evaluateOutputs(
  layout: OutputsLayout,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const log = options.log ?? (() => {});
  const alignOnTruth = (options.idAlignment ?? 'ground-truth') === 'ground-truth';
  const embedOrNull = async (
    image: HwcImage,
    landmarks?: readonly Point2[] | null,
  ): Promise<ArrayLike<number> | null> => {
    if (landmarks === null) return null;
    try {
      return await options.embedder.embed(image, landmarks);
    } catch (error) {
      if (error instanceof FaceNotFoundError) return null;
      throw error;
    }
  };
  const realImage = cached(readPngRgb);
  const realLandmarks = cached(async (path) => options.detector.detect(await realImage(path)));
  /** The landmarks ID-SIM aligns on: the real frame's (null: none found), or undefined = detect. */
  const alignment = async (realPath: string) =>
    alignOnTruth ? await realLandmarks(realPath) : undefined;
  const realEmbedding = cached(async (path) =>
    embedOrNull(await realImage(path), await alignment(path)),
  );
  const realFidFeatures = cached(async (path) => options.fid!.features(await realImage(path)));

  // Figure 1 buckets over the distinct targets of all settings.
  const targets = new Map<string, { identity: string; realPath: string }>();
  for (const s of layout.settings) for (const p of s.pairs) targets.set(p.realPath, p);
  const poseValue = new Map<string, number>();
  for (const [realPath, { identity }] of targets) {
    const source = layout.sourceFrames.get(identity)?.[0];
    const gt = await realLandmarks(realPath);
    const shot = source ? await realLandmarks(source) : null;
    if (gt && shot)
      poseValue.set(realPath, nmke(shot as Point2[], gt, { normalizer: 'interocular' }));
  }
  const posePaths = [...poseValue.keys()];
  let bucketOf = new Map<string, PoseBucket>();
  let upperBounds: readonly [number, number] | null = null;
  let poseNote: string | undefined;
  if (posePaths.length >= 3) {
    const b = poseVarianceBuckets(posePaths.map((p) => poseValue.get(p)!));
    bucketOf = new Map(posePaths.map((p, i) => [p, b.buckets[i]!]));
    upperBounds = b.upperBounds;
  } else {
    poseNote = `only ${posePaths.length} targets have source and target landmarks; need ≥ 3`;
  }

  const results: SettingResult[] = [];
  const details: SettingDetails[] = [];
  for (const { k, setting, pairs } of layout.settings) {
    const started = performance.now();
    const psnrs: number[] = [];
    const ssims: number[] = [];
    const idSims: (number | null)[] = [];
    let failedFakeFace = 0;
    let failedRealFace = 0;
    const landmarkPairs = [];
    const lpipsValues: number[] = [];
    const fidReal: ArrayLike<number>[] = [];
    const fidFake: ArrayLike<number>[] = [];
    for (const pair of pairs) {
      const fake = await readPngRgb(pair.fakePath);
      const real = await realImage(pair.realPath);
      if (fake.width !== real.width || fake.height !== real.height) {
        throw new Error(
          `${pair.fakePath}: ${fake.width}x${fake.height} but the real frame is ${real.width}x${real.height}`,
        );
      }
      psnrs.push(psnr(real, fake));
      if (options.lpips) lpipsValues.push(await options.lpips.distance(real, fake));
      if (options.fid) {
        fidReal.push(await realFidFeatures(pair.realPath));
        fidFake.push(await options.fid.features(fake));
      }
      ssims.push(ssim(real, fake));
      const [ef, er] = [
        await embedOrNull(fake, await alignment(pair.realPath)),
        await realEmbedding(pair.realPath),
      ];
      if (!ef) failedFakeFace++;
      if (!er) failedRealFace++;
      idSims.push(ef && er ? cosineSimilarity(ef, er) : null);
      landmarkPairs.push({
        pred: await options.detector.detect(fake),
        gt: await realLandmarks(pair.realPath),
        imageSize: Math.max(real.width, real.height),
      });
    }
    const scoredIdSims = idSims.filter((v): v is number => v !== null);
    const idSimMean = scoredIdSims.length > 0 ? mean(scoredIdSims) : Number.NaN;
    const { perPair: _perPair, ...nmkeSummary } = summarizeNmke(landmarkPairs);
    const buckets = pairs.map((p) => bucketOf.get(p.realPath) ?? null);
    details.push({
      k,
      setting,
      pairs: pairs.length,
      psnr: mean(psnrs),
      ssim: mean(ssims),
      perIdentity: scoresPerIdentity(
        pairs.map((p) => p.identity),
        psnrs,
        ssims,
      ),
      idSim: {
        mean: idSimMean,
        scored: scoredIdSims.length,
        failedGenerated: failedFakeFace,
        failedReal: failedRealFace,
      },
      nmke: nmkeSummary,
      idSimByPose: meanPerBucket(buckets, idSims),
    });
    const metrics: Partial<Record<MetricKey, MetricOutcome>> = {
      psnr: mean(psnrs),
      ssim: mean(ssims),
      idSim: Number.isFinite(idSimMean)
        ? idSimMean
        : { notRun: 'no pair had a face in both frames' },
      nmke: Number.isFinite(nmkeSummary.interocular)
        ? nmkeSummary.interocular
        : { notRun: 'no pair had landmarks in both frames' },
    };
    if (options.lpips) metrics.lpips = mean(lpipsValues);
    if (options.fid)
      metrics.fid =
        pairs.length >= 2
          ? fidFromFeatures(fidReal, fidFake)
          : { notRun: `FID needs at least 2 pairs, this setting has ${pairs.length}` };
    for (const [key, reason] of Object.entries(options.notRun))
      metrics[key as MetricKey] = { notRun: reason };
    results.push({
      k,
      method: isBaseline(setting) ? baselineMethod(setting) : options.method,
      setting,
      metrics,
      scoredOn: scoredOn(pairs.map((p) => p.identity)),
    });
    log(
      `K=${k} ${setting}: ${pairs.length} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return {
    results,
    details,
    pose: {
      upperBounds,
      bucketed: posePaths.length,
      withoutLandmarks: targets.size - posePaths.length,
      ...(poseNote ? { note: poseNote } : {}),
    },
  };
}
