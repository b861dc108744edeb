/**
 * Node-only: decode PNG/JPEG bytes to an RgbImage. Grayscale, palette and alpha PNGs are converted
 * to RGB (alpha is dropped, not composited) and the conversion is reported in `notes`, because a
 * silently converted input is a common source of wrong training data.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbImage } from './rgb-image';

export interface DecodedImage {
  image: RgbImage;
  /** human-readable remarks about conversions applied, empty when the input was plain RGB */
  notes: string[];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** PNG colour type (IHDR byte 25) → what we tell the caller about the conversion. */
function pngConversionNote(colorType: number, bitDepth: number): string[] {
  const notes: string[] = [];
  if (colorType === 0) notes.push('grayscale PNG converted to RGB (gray copied to R, G and B)');
  if (colorType === 3) notes.push('palette PNG expanded to RGB');
  if (colorType === 4) notes.push('grayscale+alpha PNG converted to RGB; alpha dropped');
  if (colorType === 6) notes.push('RGBA PNG converted to RGB; alpha dropped (not composited)');
  if (bitDepth === 16) notes.push('16-bit PNG reduced to 8 bits per channel');
  return notes;
}

function rgbaToRgb(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, n = width * height; i < n; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
  return rgb;
}

/** Decode PNG or JPEG bytes; `name` (usually the file path) is used in every error message. */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  if (isPng(bytes)) {
    if (bytes.length < 33) throw new Error(`${name}: truncated PNG (${bytes.length} bytes)`);
    const bitDepth = bytes[24]!;
    const colorType = bytes[25]!;
    let png: PNG;
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new Error(`${name}: cannot decode PNG (truncated or corrupt): ${(e as Error).message}`);
    }
    const data = rgbaToRgb(png.data, png.width, png.height);
    return {
      image: { width: png.width, height: png.height, data },
      notes: pngConversionNote(colorType, bitDepth),
    };
  }
  if (isJpeg(bytes)) {
    let decoded: { width: number; height: number; data: Uint8Array };
    try {
      decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    } catch (e) {
      throw new Error(
        `${name}: cannot decode JPEG (truncated or corrupt): ${(e as Error).message}`,
      );
    }
    const data = rgbaToRgb(decoded.data, decoded.width, decoded.height);
    return { image: { width: decoded.width, height: decoded.height, data }, notes: [] };
  }
  throw new Error(`${name}: not a PNG or JPEG image (unrecognised file signature)`);
}
