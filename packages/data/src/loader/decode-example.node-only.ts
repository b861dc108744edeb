/**
 * Node-only: turning the stored members of one example's frames into a {@link KShotExample}
 * (PNG decode, size checks). This is the loader's CPU work; it runs in the decode workers, or in
 * the calling thread when the loader has no workers.
 */
import { decodeMemberPng } from '../dataset/member-png.node-only';
import type { KShotExample } from './kshot-example';

/** What a decode worker receives: the PNG members of K + 1 frames (rgb, contour, seg per frame). */
export interface ExampleJob {
  key: string;
  identity: string;
  k: number;
  /** the dataset's resolution: every member must be size×size */
  size: number;
  /** frame ids, K sources then the target */
  frames: string[];
  /** 3·(K + 1) PNGs: per frame rgb, contour, seg */
  members: Uint8Array[];
}

export function decodeExample(job: ExampleJob): KShotExample {
  const { k, size, key } = job;
  const image = size * size * 3;
  const sources = new Uint8Array(k * image);
  const sourceLandmarks = new Uint8Array(k * image);
  let target: Uint8Array = new Uint8Array(0);
  let targetLandmarks: Uint8Array = new Uint8Array(0);
  let targetSegmentation: Uint8Array = new Uint8Array(0);
  const decode = (i: number, suffix: string, channels: 1 | 3) => {
    const name = `${key}/${job.frames[Math.floor(i / 3)]}.${suffix}`;
    const png = decodeMemberPng(job.members[i]!, name, channels);
    if (png.width !== size || png.height !== size)
      throw new Error(`${name}: ${png.width}x${png.height}, the dataset is ${size}x${size}`);
    return png.data;
  };
  for (let f = 0; f <= k; f++) {
    const rgb = decode(3 * f, 'rgb.png', 3);
    const contour = decode(3 * f + 1, 'contour.png', 3);
    if (f < k) {
      sources.set(rgb, f * image);
      sourceLandmarks.set(contour, f * image);
    } else {
      target = rgb;
      targetLandmarks = contour;
      targetSegmentation = decode(3 * f + 2, 'seg.png', 1);
      for (let i = 0; i < targetSegmentation.length; i++)
        if (targetSegmentation[i]! > 18)
          throw new Error(
            `${key}/${job.frames[k]}.seg.png: class id ${targetSegmentation[i]} at pixel ${i} (ids are 0..18)`,
          );
    }
  }
  return {
    key,
    identity: job.identity,
    k,
    width: size,
    height: size,
    frames: job.frames,
    sources,
    sourceLandmarks,
    target,
    targetLandmarks,
    targetSegmentation,
  };
}

/** The example's typed arrays, for transferring it between threads without copying. */
export function exampleBuffers(e: KShotExample): ArrayBuffer[] {
  return [e.sources, e.sourceLandmarks, e.target, e.targetLandmarks, e.targetSegmentation].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
