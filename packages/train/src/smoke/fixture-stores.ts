import { fileURLToPath } from 'node:url';
import type { LandmarkDetector } from '@th/data/node';
import { loadFolderStore } from '../data/folder-source';
import type { FrameStore } from '../data/frame-store';

/** The repository's VoxCeleb2 fixtures (4 identities; 4 train + 2 hold-out frames each). */
export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../fixtures/voxceleb2/', import.meta.url),
);

/** Committed face-api landmarks of every fixture frame (`packages/train/scripts/fixture-landmarks.mjs`). */
export const FIXTURE_LANDMARKS = `${FIXTURE_DIR}landmarks.json`;

/**
 * Stands in for the face detector when every landmark must come from the committed cache: a
 * frame missing from it is an error (rather than a slow detection that would also rewrite the
 * fixture file, since the folder store writes its cache only when it detected something new).
 */
const cacheOnly: LandmarkDetector = {
  async detect() {
    throw new Error(
      `${FIXTURE_LANDMARKS} lacks a fixture frame; regenerate it with node packages/train/scripts/fixture-landmarks.mjs`,
    );
  },
  dispose() {},
};

/** Train and hold-out stores of the fixture frames at `resolution`, landmarks from the committed cache. */
export async function fixtureStores(
  resolution: number,
): Promise<{ train: FrameStore; holdout: FrameStore }> {
  const options = { resolution, landmarkCache: FIXTURE_LANDMARKS, detector: cacheOnly };
  return {
    train: await loadFolderStore(`${FIXTURE_DIR}frames/train`, options),
    holdout: await loadFolderStore(`${FIXTURE_DIR}frames/test`, options),
  };
}
