import { expect } from 'vitest';
import { listFsthFrames, readPngRgb } from '../eval/frame-files.node-only';
import { cosineSimilarity, type IdentityEmbedder } from '../id-sim';
import { FRAMES_DIR } from '../testing/read-png';
import { type EmbedFailure, embedLabelledFrames } from './embed-frames.node-only';
import { FaceNotFoundError } from './face-not-found';
import { type IdentitySeparation, identitySeparation } from './separation';

// Test helpers shared by the identity embedders' suites (one contract, several networks).

/** Embeds the first fixture frame twice; returns the vector after checking length and determinism. */
export async function expectDeterministic(
  embedder: IdentityEmbedder,
  dimensions: number,
): Promise<ArrayLike<number>> {
  const frames = await listFsthFrames(FRAMES_DIR);
  const image = await readPngRgb(frames[0]!.path);
  const a = await embedder.embed(image);
  const b = await embedder.embed(image);
  expect(a).toHaveLength(dimensions);
  expect(cosineSimilarity(a, b)).toBeGreaterThan(0.9999);
  return a;
}

/** A uniform gray `side` x `side` frame must give FaceNotFoundError (counted, never dropped). */
export async function expectNoFaceOnGray(embedder: IdentityEmbedder, side: number): Promise<void> {
  const gray = { data: new Uint8Array(side * side * 3).fill(128), height: side, width: side };
  await expect(embedder.embed({ ...gray, channels: 3 })).rejects.toBeInstanceOf(FaceNotFoundError);
}

/** Embeds the 24 fixture frames (4 identities) and measures how well identities separate. */
export async function fixtureSeparation(
  embedder: IdentityEmbedder,
): Promise<{ separation: IdentitySeparation; failures: EmbedFailure[] }> {
  const frames = await listFsthFrames(FRAMES_DIR);
  expect(frames).toHaveLength(24);
  const { embeddings, failures } = await embedLabelledFrames(
    embedder,
    frames.map((f) => ({ identity: f.identity, source: f.path })),
    readPngRgb,
  );
  return { separation: identitySeparation(embeddings), failures };
}
