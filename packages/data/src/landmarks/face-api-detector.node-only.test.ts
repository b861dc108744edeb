/**
 * face-api landmarks on real fixture frames, and the fidelity of our preprocessing built on them
 * against LSR's official output for the same frames (floors set from scripts/fidelity.ts numbers
 * on these 4 frames, with margin: see the package README).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classOverlaps, iou, labelLandmarkColours } from '../fidelity/iou';
import { readImage } from '../image/image-files.node-only';
import type { RgbImage } from '../image/rgb-image';
import { renderLandmarkImage } from '../render/landmark-image';
import { landmarkOracleSegmentation } from '../segmentation/landmark-oracle';
import { readSegmentationPng } from '../segmentation/read-segmentation.node-only';
import { createFaceApiDetector, trackConsistent } from './face-api-detector.node-only';
import type { LandmarkDetector, Landmarks68 } from './landmarks';

const PROCESSED = new URL(
  '../../../../fixtures/voxceleb2/processed/id00017/OLguY5ofUrY/',
  import.meta.url,
).pathname;
const IDS = ['00000', '00001', '00002', '00003'];

let detector: LandmarkDetector;
const frames: { id: string; image: RgbImage; landmarks: Landmarks68 | null }[] = [];
beforeAll(async () => {
  detector = await createFaceApiDetector();
  for (const id of IDS) {
    const { image } = await readImage(join(PROCESSED, `${id}_rgb.png`));
    frames.push({ id, image, landmarks: await detector.detect(image) });
  }
});
afterAll(() => detector?.dispose());

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Pooled IoU of drawn pixels between our landmark image and the official contour image. */
async function drawnIoU(id: string, landmarks: Landmarks68): Promise<number> {
  const official = (await readImage(join(PROCESSED, `${id}_contour.png`))).image;
  const ours = renderLandmarkImage(landmarks, { width: official.width, height: official.height });
  const o = classOverlaps(labelLandmarkColours(ours), labelLandmarkColours(official), 7);
  const inter = o.slice(1).reduce((s, c) => s + c.intersection, 0);
  const union = o.slice(1).reduce((s, c) => s + c.union, 0);
  return inter / union;
}

describe('face-api landmark detector', () => {
  it('finds 68 points inside every fixture frame, in a plausible facial layout', () => {
    for (const { landmarks } of frames) {
      expect(landmarks).not.toBeNull();
      const p = landmarks!;
      expect(p.length).toBe(68);
      for (const [x, y] of p) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(224);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(224);
      }
      // eye corners left to right: right-eye outer 36 < inner 39 < left-eye inner 42 < outer 45
      expect(p[36]![0]).toBeLessThan(p[39]![0]);
      expect(p[39]![0]).toBeLessThan(p[42]![0]);
      expect(p[42]![0]).toBeLessThan(p[45]![0]);
      const interOcular = p[45]![0] - p[36]![0];
      expect(interOcular).toBeGreaterThan(40); // these crops are tight: eyes ~60-80 px apart
      expect(interOcular).toBeLessThan(120);
      // top to bottom: eyes above the nose tip, above the mouth, above the chin
      const eyeY = (p[36]![1] + p[45]![1]) / 2;
      expect(eyeY).toBeLessThan(p[30]![1]);
      expect(p[30]![1]).toBeLessThan(p[57]![1]);
      expect(p[57]![1]).toBeLessThan(p[8]![1]);
    }
  });

  it('returns null for an image with no face (flat grey)', async () => {
    const grey: RgbImage = {
      width: 224,
      height: 224,
      data: new Uint8Array(224 * 224 * 3).fill(128),
    };
    expect(await detector.detect(grey)).toBeNull();
  });

  it('rendered landmark images overlap the official contour images (IoU of drawn pixels)', async () => {
    const pooled: number[] = [];
    for (const { id, landmarks } of frames) pooled.push(await drawnIoU(id, landmarks!));
    // measured 0.228 on these frames (face-api vs FAN landmarks dominate the gap)
    expect(mean(pooled)).toBeGreaterThan(0.18);
  });

  it('detectSequence finds the face once and tracks it, as good as detecting every frame', async () => {
    const grey: RgbImage = {
      width: 224,
      height: 224,
      data: new Uint8Array(224 * 224 * 3).fill(128),
    };
    const images = frames.map((f) => f.image);
    const found = await detector.detectSequence!([images[0]!, grey, ...images.slice(1)]);
    // Frame 0 goes through SSD exactly as detect() does; the faceless frame breaks the track
    // (the tracked landmarks jump, SSD runs and finds nothing) instead of inventing a face.
    expect(found[0]).toEqual(frames[0]!.landmarks);
    expect(found[1]).toBeNull();
    const tracked = [found[0]!, ...found.slice(2)];
    const ious = [];
    for (const [i, lm] of tracked.entries()) ious.push(await drawnIoU(IDS[i]!, lm!));
    const perFrame = [];
    for (const f of frames) perFrame.push(await drawnIoU(f.id, f.landmarks!));
    // measured 0.276 tracked vs 0.228 per frame on these frames (0.308 vs 0.235 on the 32 of
    // the sample, scripts/fidelity.ts): tracking does not cost landmark quality
    expect(mean(ious)).toBeGreaterThan(mean(perFrame) - 0.02);
    // Tracked points stay near the per-frame detector's (a few pixels, not a different face).
    for (const [i, lm] of tracked.entries()) {
      const d = mean(
        lm!.map(([x, y], j) =>
          Math.hypot(x - frames[i]!.landmarks![j]![0], y - frames[i]!.landmarks![j]![1]),
        ),
      );
      expect(d).toBeLessThan(8);
    }
  });

  it('trackConsistent accepts small moves and rejects size or position jumps', () => {
    const box = (x: number, y: number, s: number) =>
      Array.from(
        { length: 68 },
        (_, i) => [x + (s * (i % 9)) / 8, y + (s * Math.floor(i / 9)) / 7] as const,
      );
    expect(trackConsistent(box(50, 50, 100), box(55, 52, 104))).toBe(true);
    expect(trackConsistent(box(50, 50, 100), box(50, 50, 70))).toBe(false); // shrinks 30 %
    expect(trackConsistent(box(50, 50, 100), box(75, 50, 100))).toBe(false); // moves 25 % of its size
  });

  it('the landmark oracle segmentation overlaps the official segmaps (mIoU, pixel agreement)', async () => {
    const mIoU: number[] = [];
    const agreement: number[] = [];
    for (const { id, image, landmarks } of frames) {
      const ours = landmarkOracleSegmentation(landmarks!, image.width, image.height);
      const ref = await readSegmentationPng(join(PROCESSED, `${id}_segmap_merged.png`), 224, 224);
      const o = classOverlaps(ours, ref, 19);
      mIoU.push(mean(o.map(iou).filter((v): v is number => v !== null)));
      agreement.push(o.reduce((s, c) => s + c.intersection, 0) / ours.length);
    }
    // measured mIoU 0.29 and agreement 0.75 on these frames
    expect(mean(mIoU)).toBeGreaterThan(0.24);
    expect(mean(agreement)).toBeGreaterThan(0.68);
  });
});
