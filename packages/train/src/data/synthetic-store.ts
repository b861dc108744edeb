import { mulberry32 } from '@th/data';
import type { FrameStore } from './frame-store';

/**
 * A deterministic random `FrameStore` (no files, no face detector) for tests and benchmarks:
 * RGB and landmark values uniform in [-1, 1], segmentation ids uniform in 0..18.
 */
export function syntheticFrameStore(options: {
  resolution: number;
  videos: number;
  framesPerVideo: number;
  seed?: number;
}): FrameStore {
  const random = mulberry32(options.seed ?? 1);
  const r = options.resolution;
  const uniform = (n: number) => Float32Array.from({ length: n }, () => random() * 2 - 1);
  return {
    resolution: r,
    videos: Array.from({ length: options.videos }, (_, v) => ({
      id: `id${v}/video`,
      frames: Array.from({ length: options.framesPerVideo }, (_, f) => ({
        id: `id${v}/video/${String(f).padStart(5, '0')}`,
        rgb: uniform(r * r * 3),
        landmarks: uniform(r * r * 3),
        segmentation: Uint8Array.from({ length: r * r }, () => Math.floor(random() * 19)),
      })),
    })),
  };
}
