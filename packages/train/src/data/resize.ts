/**
 * Area resampling of an HWC uint8 image to `size`×`size`, returned in [-1, 1] (v·2/255 − 1, as
 * LSR normalises, spec §d). Each output pixel averages the input area it covers, with fractional
 * edge weights, so 224 → 64 (a factor of 3.5) neither aliases nor blurs more than needed.
 */
export function resizeAreaSigned(
  data: Uint8Array,
  width: number,
  height: number,
  size: number,
  channels = 3,
): Float32Array {
  if (data.length !== width * height * channels)
    throw new Error(`resizeAreaSigned: ${data.length} values for ${width}x${height}x${channels}`);
  const out = new Float32Array(size * size * channels);
  const xs = spans(width, size);
  const ys = spans(height, size);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      const acc = new Float64Array(channels);
      let total = 0;
      for (const [iy, wy] of ys[oy]!) {
        for (const [ix, wx] of xs[ox]!) {
          const w = wy * wx;
          total += w;
          const base = (iy * width + ix) * channels;
          for (let c = 0; c < channels; c++) acc[c]! += w * data[base + c]!;
        }
      }
      for (let c = 0; c < channels; c++)
        out[(oy * size + ox) * channels + c] = ((acc[c]! / total) * 2) / 255 - 1;
    }
  }
  return out;
}

/** Nearest-neighbour resampling of a label map (averaging class ids would invent classes). */
export function resizeNearestLabels(
  labels: Uint8Array,
  width: number,
  height: number,
  size: number,
): Uint8Array {
  if (labels.length !== width * height)
    throw new Error(`resizeNearestLabels: ${labels.length} labels for ${width}x${height}`);
  const out = new Uint8Array(size * size);
  for (let oy = 0; oy < size; oy++) {
    const iy = Math.min(height - 1, Math.floor(((oy + 0.5) * height) / size));
    for (let ox = 0; ox < size; ox++) {
      const ix = Math.min(width - 1, Math.floor(((ox + 0.5) * width) / size));
      out[oy * size + ox] = labels[iy * width + ix]!;
    }
  }
  return out;
}

/** For each output index, the input indices it covers and the covered length of each. */
function spans(inSize: number, outSize: number): Array<Array<[number, number]>> {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * scale;
    const end = start + scale;
    const cover: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(inSize, Math.ceil(end)); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w > 1e-9) cover.push([i, w]);
    }
    return cover;
  });
}
