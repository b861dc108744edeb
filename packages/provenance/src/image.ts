/**
 * The images this package reads and writes: 8-bit RGB or RGBA, row-major, no padding (what
 * @th/data's RgbImage and a canvas ImageData are). Channels are inferred from the data length.
 */
export interface ImageBytes {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export function channelsOf(image: ImageBytes, where: string): 3 | 4 {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new Error(`${where}: invalid image size ${width}x${height}`);
  const pixels = width * height;
  if (data.length === pixels * 3) return 3;
  if (data.length === pixels * 4) return 4;
  throw new Error(
    `${where}: ${width}x${height} image has ${data.length} bytes; expected RGB (${pixels * 3}) or RGBA (${pixels * 4})`,
  );
}

/** BT.601 luma (0.299 R + 0.587 G + 0.114 B), the plane the watermark lives in. */
export function lumaOf(image: ImageBytes, where = 'image'): Float64Array {
  const c = channelsOf(image, where);
  const { data } = image;
  const out = new Float64Array(image.width * image.height);
  for (let p = 0, i = 0; p < out.length; p++, i += c)
    out[p] = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  return out;
}
