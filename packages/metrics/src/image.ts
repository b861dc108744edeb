/**
 * Plain HWC images for the pixel metrics. No tfjs: a metric must run in Node and in browsers on
 * whatever typed array the caller already holds (decoded PNG bytes, a canvas readback, a tensor's
 * `dataSync()`).
 */

/** Any numeric typed array or plain array holding pixel values in HWC (row-major, channel-last). */
export type PixelArray =
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Int32Array
  | Float32Array
  | Float64Array
  | readonly number[];

/** An image of `height` x `width` pixels with `channels` values per pixel, stored HWC. */
export interface HwcImage {
  readonly data: PixelArray;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Throws a descriptive error if `image` is not a well-formed HWC image. */
export function assertHwcImage(image: HwcImage, label: string): void {
  const { data, height, width, channels } = image;
  for (const [key, value] of [
    ['height', height],
    ['width', width],
    ['channels', channels],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${label}: ${key} must be a positive integer, got ${value}`);
    }
  }
  const expected = height * width * channels;
  if (data.length !== expected) {
    throw new Error(
      `${label}: data has ${data.length} values but ${height}x${width}x${channels} needs ${expected}`,
    );
  }
}

/** Throws unless both images are valid and have identical height, width and channel count. */
export function assertSameShape(a: HwcImage, b: HwcImage): void {
  assertHwcImage(a, 'first image');
  assertHwcImage(b, 'second image');
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new Error(
      `images differ in shape: ${a.height}x${a.width}x${a.channels} vs ${b.height}x${b.width}x${b.channels}`,
    );
  }
}

/**
 * Copies one channel of an HWC image into a float64 plane (row-major H x W). Metrics compute in
 * float64 so the result does not depend on the caller's storage type.
 */
export function channelPlane(image: HwcImage, channel: number): Float64Array {
  const { data, height, width, channels } = image;
  const plane = new Float64Array(height * width);
  for (let p = 0, q = channel; p < plane.length; p++, q += channels) plane[p] = data[q]!;
  return plane;
}
