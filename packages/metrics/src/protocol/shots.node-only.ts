import { basename } from 'node:path';
import type { LandmarkDetector, Landmarks68, RgbImage } from '@th/data';
import { readImage } from '@th/data/node';
import { chooseShotIndices } from '@th/infer';
import type { FsthSubject } from './fsth-subjects.node-only';
import type { LandmarkCache } from './landmark-cache.node-only';

/** The K shots of a subject with their landmarks, ready for `createSubject`. */
export interface Shots {
  readonly images: RgbImage[];
  readonly landmarks: Landmarks68[];
  readonly names: string[];
}

/**
 * docs/design.md#shot-choice: the shots are the source frames at indices ⌊i·n/K⌋ of the sorted list
 * (n = 32 in
 * FSTH), chosen by @th/infer's `chooseShotIndices`. A chosen frame without a detectable face is an
 * error: substituting another frame would silently change the protocol.
 */
export async function loadShots(
  subject: FsthSubject,
  k: number,
  cache: LandmarkCache,
  detector: LandmarkDetector,
): Promise<Shots> {
  const shots: Shots = { images: [], landmarks: [], names: [] };
  for (const index of chooseShotIndices(subject.sources.length, k)) {
    const frame = subject.sources[index]!;
    const { image } = await readImage(frame.path);
    const landmarks = await cache.get(frame.path, async () => image, detector);
    if (!landmarks) {
      throw new Error(
        `${frame.path}: no face found in source frame ${index} of ${subject.identity}, a shot for K = ${k}`,
      );
    }
    shots.images.push(image);
    shots.landmarks.push(landmarks);
    shots.names.push(basename(frame.path));
  }
  return shots;
}
