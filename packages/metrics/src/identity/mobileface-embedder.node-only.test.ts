import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDeterministic,
  expectNoFaceOnGray,
  fixtureSeparation,
} from './embedder-checks.node-only';
import {
  type DisposableEmbedder,
  MOBILEFACE_NAME,
  mobileFaceEmbedder,
} from './mobileface-embedder.node-only';

describe('mobileFaceEmbedder (offline, wasm)', () => {
  let embedder: DisposableEmbedder;
  beforeAll(async () => {
    embedder = await mobileFaceEmbedder();
  });
  afterAll(() => embedder?.dispose());

  it('is named honestly, 256-d, unit length and deterministic', async () => {
    expect(embedder.name).toBe(MOBILEFACE_NAME);
    expect(embedder.name).toMatch(/proxy/);
    const a = await expectDeterministic(embedder, 256);
    expect(Math.hypot(...Array.from(a))).toBeCloseTo(1, 5);
  });

  it('reports a frame without a face as FaceNotFoundError', async () => {
    await expectNoFaceOnGray(embedder, 224);
  });

  it('separates the 4 fixture identities (24 frames) more clearly than human faceres', async () => {
    const { separation: r, failures } = await fixtureSeparation(embedder);
    console.info(
      `MobileFace fixtures: same ${r.same.mean.toFixed(3)} ± ${r.same.std.toFixed(3)} (min ${r.same.min.toFixed(3)}, n ${r.same.count}), different ${r.different.mean.toFixed(3)} ± ${r.different.std.toFixed(3)} (max ${r.different.max.toFixed(3)}, n ${r.different.count}), no face ${failures.length}`,
    );
    // Measured: same 0.623 ± 0.173 (min 0.228), different 0.124 ± 0.116 (max 0.385), gap 0.499,
    // every frame found (human faceres on the same frames: gap 0.351, 1 frame without a face).
    expect(failures.length).toBeLessThanOrEqual(1);
    expect(r.meanGap).toBeGreaterThan(0.38);
    expect(r.same.mean).toBeGreaterThan(0.5);
    expect(r.different.mean).toBeLessThan(0.25);
  });
});
