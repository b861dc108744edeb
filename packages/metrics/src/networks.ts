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
      'AlexNet trunk + LPIPS v0.1 linear-head ("lin", "alex") weights in ONE safetensors file with ' +
      'PyTorch state-dict names (torchvision `features.{0,3,6,8,10}.{weight,bias}` + lpips ' +
      "`lin{0..4}.model.1.weight`); write it from lpips' alex.pth and the torchvision AlexNet " +
      'weights with tools/python/convert-lpips.py',
  },
  fid: {
    flag: '--fid-weights',
    option: 'fidWeights',
    needs:
      'the FID Inception-v3 (TF 2015-12-05 graph as ported by pytorch-fid, pool_3 2048-d) in a ' +
      'safetensors file with PyTorch state-dict names (`Conv2d_1a_3x3.conv.weight`, ' +
      "`Mixed_5b.branch1x1.bn.running_var`, ...); write it from pytorch-fid's " +
      'pt_inception-2015-12-05-6726825d.pth with tools/python/convert-fid-inception.py',
  },
};

/** Thrown when a metric's network weights were not supplied; the message says how to supply them. */
export class MissingWeightsError extends Error {
  readonly metric: NetworkMetric;
  constructor(metric: NetworkMetric) {
    const spec = NETWORK_WEIGHTS[metric];
    super(
      `${metric.toUpperCase()} needs ${spec.needs}; none are bundled (licence and size). ` +
        `Pass ${spec.flag} <path/to/weights.safetensors> on the command line, or the ` +
        `\`${spec.option}\` option in the API.`,
    );
    this.name = 'MissingWeightsError';
    this.metric = metric;
  }
}

/** User-supplied weight locations (paths to safetensors files). */
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

/** One named float array in PyTorch layout, as a weights file stores it. */
export interface NamedArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The tensors of a weights file by state-dict name (platform-neutral, no tfjs). */
export type NamedArrays = ReadonlyMap<string, NamedArray>;

/** A tensor a network needs: its state-dict name and PyTorch shape. */
export interface ExpectedTensor {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Checks that `found` holds every `expected` tensor with the expected shape (extra tensors, e.g.
 * Inception's classifier, are ignored). Throws an error naming `source`, every missing tensor
 * (up to 12) or the first misshapen one, and what the metric needs.
 */
export function checkWeightTensors(
  metric: NetworkMetric,
  source: string,
  found: ReadonlyMap<string, { readonly shape: readonly number[] }>,
  expected: readonly ExpectedTensor[],
): void {
  const shape = (s: readonly number[]) => `[${s.join(', ')}]`;
  const missing = expected.filter((e) => !found.has(e.name));
  if (missing.length > 0) {
    const listed = missing.slice(0, 12).map((e) => `"${e.name}" ${shape(e.shape)}`);
    if (missing.length > 12) listed.push(`... (${missing.length - 12} more)`);
    throw new Error(
      `${source}: ${missing.length} of the ${expected.length} tensors ${metric.toUpperCase()} ` +
        `needs are missing: ${listed.join(', ')}. Expected ${NETWORK_WEIGHTS[metric].needs}.`,
    );
  }
  for (const e of expected) {
    const actual = found.get(e.name)!.shape;
    if (actual.length !== e.shape.length || actual.some((d, i) => d !== e.shape[i])) {
      throw new Error(
        `${source}: tensor "${e.name}" has shape ${shape(actual)}, ${metric.toUpperCase()} ` +
          `expects ${shape(e.shape)} (PyTorch layout). Expected ${NETWORK_WEIGHTS[metric].needs}.`,
      );
    }
  }
}
