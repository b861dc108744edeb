/**
 * Node-only: read images from disk and write PNGs atomically (write a temp file beside the
 * target, then rename), so a crashed or parallel worker never leaves a half-written PNG that a
 * later run would take for a finished one.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { trackTempFile } from '../io/temp-files.node-only';
import { type DecodedImage, decodeImage } from './decode-image.node-only';
import { assertImageSize, assertRgbImage, type RgbImage } from './rgb-image';

/** Read a PNG or JPEG file into RGB; errors name the file. */
export async function readImage(path: string): Promise<DecodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`${path}: cannot read image file: ${(e as Error).message}`);
  }
  return decodeImage(bytes, path);
}

/** Encode an RGB image as an 8-bit RGB PNG (colour type 2). */
export function encodeRgbPng(image: RgbImage): Buffer {
  assertRgbImage(image, 'encodeRgbPng');
  const png = new PNG({
    width: image.width,
    height: image.height,
    colorType: 2,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputHasAlpha: false });
}

/** Encode one byte per pixel (e.g. class ids) as an 8-bit grayscale PNG (colour type 0). */
export function encodeGrayPng(values: Uint8Array, width: number, height: number): Buffer {
  assertImageSize(width, height, 'encodeGrayPng');
  if (values.length !== width * height) {
    throw new Error(`encodeGrayPng: ${values.length} values for a ${width}x${height} image`);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Write bytes to `path` atomically: temp file in the same directory, then rename over. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const untrack = trackTempFile(temp);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw new Error(`${path}: cannot write file: ${(e as Error).message}`);
  } finally {
    untrack();
  }
}

/** Write an RGB image as PNG, atomically. */
export async function writePng(path: string, image: RgbImage): Promise<void> {
  await writeFileAtomic(path, encodeRgbPng(image));
}

/** Write a one-channel map (class ids, masks) as grayscale PNG, atomically. */
export async function writeGrayPng(
  path: string,
  values: Uint8Array,
  width: number,
  height: number,
): Promise<void> {
  await writeFileAtomic(path, encodeGrayPng(values, width, height));
}
