/**
 * Test content: smooth colour blobs drifting slowly (like the bundled model's blurry output),
 * deterministic from a seed, and the two geometric edits the scheme must survive, done in-process.
 */
import type { ImageBytes } from '../image';

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function smoothFrames(count: number, size = 64, seed = 1): ImageBytes[] {
  const rnd = mulberry(seed);
  const blobs = Array.from({ length: 6 }, () => ({
    x: rnd() * size,
    y: rnd() * size,
    r: size * (0.15 + 0.25 * rnd()),
    c: [rnd() * 200, rnd() * 200, rnd() * 200],
    vx: rnd() - 0.5,
    vy: rnd() - 0.5,
  }));
  return Array.from({ length: count }, (_, t) => {
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++) {
          let v = 30;
          for (const b of blobs) {
            const dx = x - b.x - b.vx * t * 0.3;
            const dy = y - b.y - b.vy * t * 0.3;
            v += b.c[c]! * Math.exp(-(dx * dx + dy * dy) / (2 * b.r * b.r));
          }
          data[(y * size + x) * 3 + c] = Math.min(255, Math.round(v));
        }
    return { width: size, height: size, data };
  });
}

/** Crop `margin` pixels from every side. */
export function cropImage(image: ImageBytes, margin: number): ImageBytes {
  const w = image.width - 2 * margin;
  const h = image.height - 2 * margin;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    data.set(
      image.data.subarray(
        ((y + margin) * image.width + margin) * 3,
        ((y + margin) * image.width + margin + w) * 3,
      ),
      y * w * 3,
    );
  return { width: w, height: h, data };
}

/** Halve the size by averaging 2×2 blocks (rounded to bytes). */
export function halveImage(image: ImageBytes): ImageBytes {
  const w = image.width >> 1;
  const h = image.height >> 1;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => image.data[(yy * image.width + xx) * 3 + c]!;
        data[(y * w + x) * 3 + c] = Math.round(
          (at(2 * y, 2 * x) +
            at(2 * y, 2 * x + 1) +
            at(2 * y + 1, 2 * x) +
            at(2 * y + 1, 2 * x + 1)) /
            4,
        );
      }
  return { width: w, height: h, data };
}
