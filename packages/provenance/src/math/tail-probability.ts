/**
 * Tail probability of the detector's statistic under "no watermark". At a given hypothesis the
 * correlation is X = Σ_h w_h·cos(ψ_h) with fixed weights w_h ≥ 0 (magnitudes of the image's
 * spectrum) and phases ψ_h independent and uniform, because the key's phases are. Its cumulant
 * generating function is exact, K(λ) = Σ_h log I0(λ·w_h), so P(X ≥ x) has a saddle-point
 * (Lugannani–Rice) approximation that stays accurate far into the tail, where a Gaussian
 * approximation overstates it (X is bounded by Σ w_h) and becomes meaningless.
 */

/** log I0(t) and I1(t)/I0(t) for t ≥ 0. */
export function besselLogI0Ratio(t: number): { logI0: number; ratio: number } {
  if (t < 50) {
    // Power series; every term is positive, so this is stable.
    const q = (t * t) / 4;
    let term0 = 1;
    let sum0 = 1;
    let term1 = 1; // (t/2)^(2k) / (k! (k+1)!)
    let sum1 = 1;
    for (let k = 1; k < 400; k++) {
      term0 *= q / (k * k);
      term1 *= q / (k * (k + 1));
      sum0 += term0;
      sum1 += term1;
      if (term0 < 1e-17 * sum0) break;
    }
    return { logI0: Math.log(sum0), ratio: ((t / 2) * sum1) / sum0 };
  }
  // Large-argument expansions (error < 1e-9 at t ≥ 50).
  const i = 1 / t;
  const s0 = 1 + i / 8 + (9 * i * i) / 128 + (225 * i ** 3) / 3072 + (11025 * i ** 4) / 98304;
  const s1 =
    1 - (3 * i) / 8 - (15 * i * i) / 128 - (315 * i ** 3) / 3072 - (14175 * i ** 4) / 98304;
  return { logI0: t - 0.5 * Math.log(2 * Math.PI * t) + Math.log(s0), ratio: s1 / s0 };
}

function normalTail(r: number): number {
  // Q(r) = erfc(r/√2)/2 with the Chebyshev fit of erfc in Press et al., Numerical Recipes
  // ("erfcc"), fractional error < 1.2e-7 everywhere.
  if (r < 0) return 1 - normalTail(-r);
  const t = 1 / (1 + 0.5 * (r / Math.SQRT2));
  const y =
    t *
    Math.exp(
      -(r * r) / 2 -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return y / 2;
}

/**
 * P(Σ w_h cos ψ_h ≥ x) for independent uniform ψ_h. Returns 1 for x ≤ 0 (the detector only asks
 * about positive correlations) and 0 for x ≥ Σ w_h (impossible).
 */
export function cosineSumTail(weights: ArrayLike<number>, x: number): number {
  let total = 0;
  let variance = 0;
  for (let h = 0; h < weights.length; h++) {
    total += weights[h]!;
    variance += weights[h]! ** 2 / 2;
  }
  if (x <= 0 || variance === 0) return 1;
  if (x >= total) return 0;
  // Solve K'(λ) = Σ w·ratio(λw) = x by bisection on λ (K' is increasing).
  const derivative = (lambda: number) => {
    let k1 = 0;
    for (let h = 0; h < weights.length; h++) {
      const w = weights[h]!;
      k1 += w * besselLogI0Ratio(lambda * w).ratio;
    }
    return k1;
  };
  let lo = 0;
  let hi = x / variance;
  while (derivative(hi) < x) hi *= 2;
  for (let it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (derivative(mid) < x) lo = mid;
    else hi = mid;
  }
  const lambda = (lo + hi) / 2;
  let k = 0;
  let k2 = 0;
  for (let h = 0; h < weights.length; h++) {
    const w = weights[h]!;
    const t = lambda * w;
    const { logI0, ratio } = besselLogI0Ratio(t);
    k += logI0;
    // d/dt ratio = 1 − ratio/t − ratio²  (ratio/t → ½ as t → 0)
    const slope = t > 1e-8 ? 1 - ratio / t - ratio * ratio : 0.5;
    k2 += w * w * slope;
  }
  const exponent = lambda * x - k;
  const r = Math.sqrt(Math.max(0, 2 * exponent));
  const u = lambda * Math.sqrt(k2);
  if (r < 1e-6 || Math.abs(r - u) < 1e-9 * r) return normalTail(r);
  // Lugannani–Rice: Q(r) + φ(r)·(1/u − 1/r)
  const phi = Math.exp(-(r * r) / 2) / Math.sqrt(2 * Math.PI);
  return Math.min(1, Math.max(0, normalTail(r) + phi * (1 / u - 1 / r)));
}
