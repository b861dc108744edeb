/**
 * Resampling a luma plane by a factor f with pixel centres aligned ((i + ½)/f − ½ in source
 * pixels): linear interpolation when enlarging, and the exact average over each output pixel's
 * footprint (box filter with fractional coverage) when shrinking, so shrinking does not alias.
 */

/** Weights of one axis: for each output index, source indices and weights. */
function axisWeights(source: number, target: number, f: number) {
  const starts = new Int32Array(target);
  const counts = new Int32Array(target);
  const weights: number[] = [];
  const offsets = new Int32Array(target);
  for (let o = 0; o < target; o++) {
    offsets[o] = weights.length;
    if (f >= 1) {
      const x = Math.min(source - 1, Math.max(0, (o + 0.5) / f - 0.5));
      const x0 = Math.min(source - 2, Math.floor(x));
      if (source === 1) {
        starts[o] = 0;
        counts[o] = 1;
        weights.push(1);
        continue;
      }
      const t = x - x0;
      starts[o] = x0;
      counts[o] = 2;
      weights.push(1 - t, t);
    } else {
      const a = o / f;
      const b = Math.min(source, (o + 1) / f);
      const first = Math.floor(a);
      const last = Math.min(source - 1, Math.ceil(b) - 1);
      starts[o] = first;
      counts[o] = last - first + 1;
      for (let s = first; s <= last; s++)
        weights.push((Math.min(b, s + 1) - Math.max(a, s)) / (b - a));
    }
  }
  return { starts, counts, offsets, weights: Float64Array.from(weights) };
}

export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

export function resamplePlane(plane: Plane, f: number): Plane {
  const width = Math.max(1, Math.round(plane.width * f));
  const height = Math.max(1, Math.round(plane.height * f));
  const fx = axisWeights(plane.width, width, f);
  const fy = axisWeights(plane.height, height, f);
  // rows first: plane.height × width
  const rows = new Float64Array(plane.height * width);
  for (let y = 0; y < plane.height; y++) {
    const src = y * plane.width;
    for (let x = 0; x < width; x++) {
      let v = 0;
      const s = fx.starts[x]!;
      const o = fx.offsets[x]!;
      for (let k = 0; k < fx.counts[x]!; k++) v += fx.weights[o + k]! * plane.data[src + s + k]!;
      rows[y * width + x] = v;
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const s = fy.starts[y]!;
    const o = fy.offsets[y]!;
    for (let k = 0; k < fy.counts[y]!; k++) {
      const w = fy.weights[o + k]!;
      const src = (s + k) * width;
      for (let x = 0; x < width; x++) out[y * width + x] = out[y * width + x]! + w * rows[src + x]!;
    }
  }
  return { width, height, data: out };
}
