import { boxKernel, gaussianKernel, separableValidFilter } from './filters';
import { assertSameShape, channelPlane, type HwcImage } from './image';

/**
 * Which SSIM window to use.
 * - `'skimage'` (default): what LSR reports. `skimage.metrics.structural_similarity(real, fake,
 *   data_range=255, multichannel=True)`: 7x7 uniform window, sample covariance (N/(N−1), N = 49).
 * - `'wang2004'`: the original paper's choice, skimage's `gaussian_weights=True, sigma=1.5,
 *   use_sample_covariance=False`: 11x11 Gaussian window (σ 1.5, truncate 3.5), population covariance.
 */
export type SsimWindow = 'skimage' | 'wang2004';

/** Options for {@link ssim}. */
export interface SsimOptions {
  readonly window?: SsimWindow;
  /** Peak-to-peak range of the pixel values; default 255 (8-bit images as float 0..255). */
  readonly dataRange?: number;
  /** Stabilising constants; defaults K1 = 0.01, K2 = 0.03 (Wang et al. 2004). */
  readonly k1?: number;
  readonly k2?: number;
}

interface WindowSpec {
  readonly kernel: Float64Array;
  /** Factor turning the window's weighted second moments into (co)variances. */
  readonly covarianceNorm: number;
}

function windowSpec(window: SsimWindow): WindowSpec {
  if (window === 'skimage') {
    const size = 7;
    const n = size * size;
    return { kernel: boxKernel(size), covarianceNorm: n / (n - 1) };
  }
  if (window === 'wang2004') return { kernel: gaussianKernel(1.5, 3.5), covarianceNorm: 1 };
  throw new Error(`ssim: unknown window "${String(window)}" (expected 'skimage' or 'wang2004')`);
}

/**
 * Mean SSIM of one channel over the valid (cropped) map. With local means μ, variances σ² and
 * covariance σxy taken under the window:
 *
 *   SSIM = ((2 μx μy + C1)(2 σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 *   C1 = (K1·R)², C2 = (K2·R)²,
 *
 * averaged over every pixel whose window lies inside the image (skimage crops (win−1)/2 pixels).
 */
function channelSsim(
  x: Float64Array,
  y: Float64Array,
  height: number,
  width: number,
  spec: WindowSpec,
  c1: number,
  c2: number,
): number {
  const n = x.length;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const filter = (p: Float64Array) => separableValidFilter(p, height, width, spec.kernel);
  const ux = filter(x);
  const uy = filter(y);
  const uxx = filter(xx);
  const uyy = filter(yy);
  const uxy = filter(xy);
  const norm = spec.covarianceNorm;
  let sum = 0;
  for (let i = 0; i < ux.length; i++) {
    const mx = ux[i]!;
    const my = uy[i]!;
    const vx = norm * (uxx[i]! - mx * mx);
    const vy = norm * (uyy[i]! - my * my);
    const vxy = norm * (uxy[i]! - mx * my);
    sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
  }
  return sum / ux.length;
}

/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli, IEEE TIP 2004) computed per channel
 * and averaged over channels, exactly as skimage's `multichannel=True` path does
 * (docs/design.md#metric-ssim). The
 * default window reproduces LSR's reported numbers; `window: 'wang2004'` gives the paper's
 * Gaussian variant. Inputs are HWC images of equal shape in 0..dataRange (uint8 or float).
 * Computation is float64 throughout (LSR passes float32 arrays to skimage, which then computes
 * in float32; the difference is below 1e-5 on 224x224 faces, see the golden test).
 */
export function ssim(a: HwcImage, b: HwcImage, options: SsimOptions = {}): number {
  assertSameShape(a, b);
  const spec = windowSpec(options.window ?? 'skimage');
  const dataRange = options.dataRange ?? 255;
  const k1 = options.k1 ?? 0.01;
  const k2 = options.k2 ?? 0.03;
  for (const [name, v] of [
    ['dataRange', dataRange],
    ['k1', k1],
    ['k2', k2],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new Error(`ssim: ${name} must be a positive finite number, got ${v}`);
    }
  }
  const win = spec.kernel.length;
  if (a.height < win || a.width < win) {
    throw new Error(`ssim: image ${a.height}x${a.width} is smaller than the ${win}x${win} window`);
  }
  const c1 = (k1 * dataRange) ** 2;
  const c2 = (k2 * dataRange) ** 2;
  let total = 0;
  for (let c = 0; c < a.channels; c++) {
    const x = channelPlane(a, c);
    const y = channelPlane(b, c);
    total += channelSsim(x, y, a.height, a.width, spec, c1, c2);
  }
  return total / a.channels;
}
