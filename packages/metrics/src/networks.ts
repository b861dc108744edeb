import type { HwcImage } from './image';

/** Metrics that need a pretrained network whose weights are not bundled. */
export type NetworkMetric = 'lpips' | 'fid';

/**
 * A pretrained feature extractor loaded from user-supplied weights. For FID it returns the
 * Inception-v3 pool_3 vector (2048-d); for LPIPS the five unit-normalised AlexNet ReLU stages are
 * consumed by {@link PerceptualDistance} instead. `name` identifies the exact weights.
 */
export interface FeatureNetwork {
  readonly name: string;
  readonly metric: NetworkMetric;
  /** Input size the network resizes to (299 for Inception-v3, the image size for AlexNet). */
  readonly inputSize: number;
  features(image: HwcImage): Promise<ArrayLike<number>>;
}

/** LPIPS-style learned distance between two images (lower = more similar). */
export interface PerceptualDistance {
  readonly name: string;
  distance(a: HwcImage, b: HwcImage): Promise<number>;
}

/** What each network metric needs, and the CLI flag / option that supplies it. */
export const NETWORK_WEIGHTS: Readonly<
  Record<NetworkMetric, { flag: string; option: string; needs: string }>
> = {
  lpips: {
    flag: '--lpips-weights',
    option: 'lpipsWeights',
    needs:
      'AlexNet trunk + LPIPS v0.1 linear-head ("net-lin", "alex") weights, as used by LSR ' +
      '(net-lin_alex_v0.1_27.pb), converted to a TF.js graph model (model.json + shards)',
  },
  fid: {
    flag: '--fid-weights',
    option: 'fidWeights',
    needs:
      'Inception-v3 pool_3 (2048-d) weights of the standard FID network (TF-GAN ' +
      'tfgan/eval/inception/1, as used by LSR), converted to a TF.js graph model (model.json + shards)',
  },
};

/** Thrown when a metric's network weights were not supplied; the message says how to supply them. */
export class MissingWeightsError extends Error {
  readonly metric: NetworkMetric;
  constructor(metric: NetworkMetric) {
    const spec = NETWORK_WEIGHTS[metric];
    super(
      `${metric.toUpperCase()} needs ${spec.needs}; none are bundled (licence and size). ` +
        `Pass ${spec.flag} <path/to/model.json> on the command line, or the ` +
        `\`${spec.option}\` option in the API.`,
    );
    this.name = 'MissingWeightsError';
    this.metric = metric;
  }
}

/** User-supplied weight locations (paths or URLs to a TF.js model.json). */
export interface NetworkWeightFiles {
  readonly lpipsWeights?: string | undefined;
  readonly fidWeights?: string | undefined;
}

/**
 * Returns the weight location for `metric`, or throws {@link MissingWeightsError} naming the file
 * and the flag to pass. Call it before any expensive work so a run fails early and clearly.
 */
export function requireNetworkWeights(metric: NetworkMetric, files: NetworkWeightFiles): string {
  const spec = NETWORK_WEIGHTS[metric];
  if (!spec) throw new Error(`requireNetworkWeights: unknown metric "${String(metric)}"`);
  const location = files[spec.option as keyof NetworkWeightFiles];
  if (location === undefined || location.trim() === '') throw new MissingWeightsError(metric);
  return location;
}
