/**
 * What the detector keeps of a frame: for each candidate scale, the phases of the folded tile's
 * spectrum on the scheme's band. Folding (averaging all pixels with equal coordinates modulo the
 * tile) turns any crop into a circular shift of the tile, which the correlation then searches for
 * free; keeping only phases (unit magnitudes) whitens the image, so strong content at a few
 * frequencies cannot dominate.
 */
import { fft2d } from '../math/fft';
import { band } from '../scheme/band';
import { SEARCH_STEP, SEARCH_TILES_MAX, SEARCH_TILES_MIN, TILE } from '../scheme/scheme';
import { type Plane, resamplePlane } from './resample';

/** Tiles across the short side to try, geometric from SEARCH_TILES_MAX down, always including 2. */
export function searchTileCounts(): number[] {
  const out: number[] = [];
  for (let n = 2; n <= SEARCH_TILES_MAX * 1.0001; n *= SEARCH_STEP) out.push(n);
  for (let n = 2 / SEARCH_STEP; n >= SEARCH_TILES_MIN * 0.9999; n /= SEARCH_STEP) out.push(n);
  return out.sort((a, b) => a - b);
}

/** The folded tile of a plane (mean-free). */
export function foldPlane(plane: Plane): Float64Array {
  const sum = new Float64Array(TILE * TILE);
  const count = new Float64Array(TILE * TILE);
  for (let y = 0; y < plane.height; y++) {
    const row = (y % TILE) * TILE;
    for (let x = 0; x < plane.width; x++) {
      const c = row + (x % TILE);
      sum[c] = sum[c]! + plane.data[y * plane.width + x]!;
      count[c] = count[c]! + 1;
    }
  }
  let mean = 0;
  let cells = 0;
  for (let c = 0; c < sum.length; c++)
    if (count[c]! > 0) {
      sum[c] = sum[c]! / count[c]!;
      mean += sum[c]!;
      cells++;
    }
  mean /= Math.max(1, cells);
  for (let c = 0; c < sum.length; c++) sum[c] = count[c]! > 0 ? sum[c]! - mean : 0;
  return sum;
}

/**
 * Unit-magnitude band spectrum (half-band, re/im) of a folded tile, keeping only bins up to
 * `maxRadius` cycles per tile (the others stay zero, so they carry no weight).
 */
export function bandPhases(
  tile: Float64Array,
  maxRadius = Number.POSITIVE_INFINITY,
): { re: Float64Array; im: Float64Array } {
  const re = tile.slice();
  const im = new Float64Array(tile.length);
  fft2d(re, im, TILE);
  const b = band();
  const outRe = new Float64Array(b.size);
  const outIm = new Float64Array(b.size);
  for (let h = 0; h < b.size; h++) {
    if (Math.hypot(b.u[h]!, b.v[h]!) > maxRadius) continue;
    const r = re[b.index[h]!]!;
    const i = im[b.index[h]!]!;
    const m = Math.hypot(r, i);
    if (m > 1e-9) {
      outRe[h] = r / m;
      outIm[h] = i / m;
    }
  }
  return { re: outRe, im: outIm };
}

/** Band phases of a tile and of its difference from the previous frame's (same scale). */
export interface FrameFeatures {
  /** Per tile count: unit-magnitude band spectrum of the folded tile. */
  features: { re: Float64Array; im: Float64Array }[];
  /** Per tile count: the folded tile itself, to difference the next frame against. */
  tiles: Float64Array[];
  /** Per tile count: band phases of (this tile − previous tile); null for a first frame. */
  differences: { re: Float64Array; im: Float64Array }[] | null;
}

/**
 * Features of one luma plane at each tile count n: resample so that min(width, height)/n source
 * pixels become TILE canonical pixels, fold, take band phases, of the tile and of its change since
 * `previous` (the tiles of the frame before). Frequencies above NYQUIST_USE × the observed image's
 * Nyquist limit are left out: a frame that was shrunk (to half size, say) no longer holds them,
 * and counting their noise would only dilute the evidence. The cut depends on the frame size
 * alone, so it costs no extra hypotheses.
 */
export function frameFeatures(
  luma: Plane,
  tileCounts: readonly number[],
  previous: readonly Float64Array[] | null = null,
): FrameFeatures {
  const short = Math.min(luma.width, luma.height);
  // observed pixels per tile: short / n; its Nyquist limit in cycles per tile: half of that
  const maxRadius = (n: number) => NYQUIST_USE * (short / n / 2);
  const tiles = tileCounts.map((n) => foldPlane(resamplePlane(luma, (TILE * n) / short)));
  const features = tiles.map((tile, k) => bandPhases(tile, maxRadius(tileCounts[k]!)));
  const differences = previous
    ? tiles.map((tile, k) => {
        const before = previous[k]!;
        return bandPhases(
          tile.map((v, i) => v - before[i]!),
          maxRadius(tileCounts[k]!),
        );
      })
    : null;
  return { features, tiles, differences };
}

/** Share of the observed Nyquist frequency up to which band bins are used. */
export const NYQUIST_USE = 0.75;
