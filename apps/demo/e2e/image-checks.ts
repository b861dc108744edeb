/**
 * Statistics that tell a rendered image from a blank or a noise canvas (RGBA input, alpha ignored).
 *  - std: standard deviation of all RGB values; a blank canvas has 0.
 *  - neighbourCorrelation: Pearson correlation between each pixel's luma and its right
 *    neighbour's; images (even an untrained generator's, which is spatially smooth) score high,
 *    i.i.d. noise scores ≈ 0.
 *  - distinctColours: number of different RGB triples.
 *  - meanAbsDiff: mean |a − b| over RGB values, in 0..255 levels.
 */

export function std(rgba: ArrayLike<number>): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < rgba.length; i++) {
    if (i % 4 === 3) continue;
    sum += rgba[i]!;
    sq += rgba[i]! * rgba[i]!;
    n++;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

export function neighbourCorrelation(rgba: ArrayLike<number>, width: number): number {
  const height = rgba.length / 4 / width;
  const luma = (p: number) =>
    0.299 * rgba[p * 4]! + 0.587 * rgba[p * 4 + 1]! + 0.114 * rgba[p * 4 + 2]!;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      xs.push(luma(y * width + x));
      ys.push(luma(y * width + x + 1));
    }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(xs);
  const my = mean(ys);
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < xs.length; i++) {
    cov += (xs[i]! - mx) * (ys[i]! - my);
    vx += (xs[i]! - mx) ** 2;
    vy += (ys[i]! - my) ** 2;
  }
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}

export function distinctColours(rgba: ArrayLike<number>): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4)
    seen.add((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!);
  return seen.size;
}

export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`meanAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    sum += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return sum / n;
}
