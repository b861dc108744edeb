import { cosineSimilarity, type IdentityEmbedder } from '../id-sim';
import { FaceNotFoundError } from '../identity/face-not-found';
import type { HwcImage } from '../image';
import { type LandmarkDetector, nmke, type Point2 } from '../nmke';
import { type NmkeSummary, summarizeNmke } from '../nmke-images';
import { psnr } from '../psnr';
import type { MetricKey, MetricOutcome, Setting, SettingResult } from '../report/table';
import { ssim } from '../ssim';
import { readPngRgb } from './frame-files.node-only';
import type { OutputsLayout } from './outputs-layout.node-only';
import { meanPerBucket, type PoseBucket, poseVarianceBuckets } from './pose-buckets';

/** Everything measured for one (K, setting), beyond the Table-2 numbers. */
export interface SettingDetails {
  readonly k: number;
  readonly setting: Setting;
  readonly pairs: number;
  readonly psnr: number;
  readonly ssim: number;
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
  readonly method: string;
  readonly embedder: IdentityEmbedder;
  readonly detector: LandmarkDetector;
  /** "n/a" reasons for the network metrics that cannot run (e.g. MissingWeightsError messages). */
  readonly notRun: Partial<Record<MetricKey, string>>;
  readonly log?: (line: string) => void;
}

const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

/** Memoises an async function by key (real frames are shared by all eight settings). */
function cached<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const memo = new Map<string, Promise<T>>();
  return (key) => {
    if (!memo.has(key)) memo.set(key, fn(key));
    return memo.get(key)!;
  };
}

/**
 * Runs the FSTH protocol (spec §f) over generated frames matched to hold-out ground truth:
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
  const embedOrNull = async (image: HwcImage): Promise<ArrayLike<number> | null> => {
    try {
      return await options.embedder.embed(image);
    } catch (error) {
      if (error instanceof FaceNotFoundError) return null;
      throw error;
    }
  };
  const realImage = cached(readPngRgb);
  const realEmbedding = cached(async (path) => embedOrNull(await realImage(path)));
  const realLandmarks = cached(async (path) => options.detector.detect(await realImage(path)));

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
    for (const pair of pairs) {
      const fake = await readPngRgb(pair.fakePath);
      const real = await realImage(pair.realPath);
      if (fake.width !== real.width || fake.height !== real.height) {
        throw new Error(
          `${pair.fakePath}: ${fake.width}x${fake.height} but the real frame is ${real.width}x${real.height}`,
        );
      }
      psnrs.push(psnr(real, fake));
      ssims.push(ssim(real, fake));
      const [ef, er] = [await embedOrNull(fake), await realEmbedding(pair.realPath)];
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
    for (const [key, reason] of Object.entries(options.notRun))
      metrics[key as MetricKey] = { notRun: reason };
    results.push({ k, method: options.method, setting, metrics });
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
