/**
 * An 8-bit RGB raster, row-major, 3 bytes per pixel, top-left origin. This is the one image type
 * the package passes around: it is plain data, so it crosses worker boundaries unchanged.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** length width*height*3, RGB interleaved */
  data: Uint8Array;
}

/** A black image of the given size. */
export function createRgbImage(width: number, height: number): RgbImage {
  assertImageSize(width, height, 'createRgbImage');
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** Throws a clear error when `width`/`height` are not positive integers. */
export function assertImageSize(width: number, height: number, where: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`${where}: image size must be positive integers, got ${width}x${height}`);
  }
}

/** Throws when the buffer length does not match the declared size. */
export function assertRgbImage(image: RgbImage, where: string): void {
  assertImageSize(image.width, image.height, where);
  const expected = image.width * image.height * 3;
  if (image.data.length !== expected) {
    throw new Error(
      `${where}: RGB data has ${image.data.length} bytes, expected ${expected} for ${image.width}x${image.height}`,
    );
  }
}

/**
 * uint8 → [-1, 1] as LSR's data provider does it: v·2/255 − 1 (so black is exactly −1 and
 * 255 exactly +1). Returns HWC float32, ready for `tf.tensor3d(out, [h, w, 3])`.
 */
export function toSignedUnit(image: RgbImage): Float32Array {
  assertRgbImage(image, 'toSignedUnit');
  return signedUnits([image.data]);
}

/** Several uint8 arrays, one after the other, mapped to [-1, 1] like `toSignedUnit`. */
export function signedUnits(parts: readonly Uint8Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[at++] = (p[i]! * 2) / 255 - 1;
  return out;
}
