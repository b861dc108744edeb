import { frechetDistance } from '../frechet';
import { gaussianStats } from '../gaussian-stats';

/**
 * FID between two feature sets (Heusel et al. 2017): fit a Gaussian to each (mean and unbiased
 * covariance, float64) and return their squared Fréchet distance
 * ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2 (Σ_r Σ_g)^{1/2}), computed by {@link frechetDistance}'s stable
 * symmetric square root. LSR scores each (K, setting) on its 1600 real vs 1600 generated frames.
 */
export function fidFromFeatures(
  real: readonly ArrayLike<number>[],
  generated: readonly ArrayLike<number>[],
): number {
  for (const [label, set] of [
    ['real', real],
    ['generated', generated],
  ] as const) {
    if (set.length < 2) throw new Error(`FID: needs at least 2 ${label} images, got ${set.length}`);
  }
  const r = gaussianStats(real);
  const g = gaussianStats(generated);
  if (r.dim !== g.dim)
    throw new Error(`FID: real features have ${r.dim} dimensions, generated ${g.dim}`);
  return frechetDistance(r.mean, r.covariance, g.mean, g.covariance);
}
