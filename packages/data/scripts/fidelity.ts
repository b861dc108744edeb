/**
 * Fidelity of our preprocessing against LSR's official output on the VoxCeleb2 sample:
 * landmarks from face-api, rendered with our landmark-image renderer and
 * compared per colour with the official `_contour.png`; the landmark oracle segmentation compared
 * per class with the official `_segmap_merged.png`. Landmarks come two ways, both timed:
 * `detect` (SSD + landmark net on every frame, what prepare did before) and `track` (the folder as
 * one utterance through `detectSequence`, what prepare does now: SSD once, then the landmark net
 * on the tracked face box). Prints markdown tables (for the README); the per-frame and
 * segmentation tables are for the tracked landmarks.
 *
 * Usage (from packages/data): npm run fidelity -- <processed dir>, e.g. the sample's
 * processed/train/id00017/OLguY5ofUrY/combined (docs/design.md#sample-data).
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ClassOverlap, classOverlaps, iou, labelLandmarkColours } from '../src/fidelity/iou';
import { readImage } from '../src/image/image-files.node-only';
import { createFaceApiDetector } from '../src/landmarks/face-api-detector.node-only';
import { renderLandmarkImage } from '../src/render/landmark-image';
import { SEGMENTATION_CLASSES } from '../src/segmentation/classes';
import { landmarkOracleSegmentation } from '../src/segmentation/landmark-oracle';
import { readSegmentationPng } from '../src/segmentation/read-segmentation.node-only';

const COLOUR_NAMES = ['jaw', 'brows', 'nose', 'eyes', 'outer lip', 'inner lip'];
const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(3));

/** Mean of the non-null values, or null. */
function mean(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** IoU over the foreground classes pooled together (all drawn pixels vs all drawn pixels). */
function pooledIoU(overlaps: ClassOverlap[], from: number): number | null {
  let inter = 0;
  let union = 0;
  for (let c = from; c < overlaps.length; c++) {
    inter += overlaps[c]!.intersection;
    union += overlaps[c]!.union;
  }
  return union ? inter / union : null;
}

async function main(): Promise<void> {
  if (!process.argv[2]) {
    console.error(
      'usage: npm run fidelity -- <processed dir>  (official _rgb/_contour/_segmap_merged PNGs)',
    );
    process.exit(2);
  }
  const dir = resolve(process.argv[2]);
  const ids = (await readdir(dir))
    .filter((f) => f.endsWith('_rgb.png'))
    .map((f) => f.slice(0, 5))
    .sort();
  const detector = await createFaceApiDetector();
  const images = [];
  for (const id of ids) images.push((await readImage(join(dir, `${id}_rgb.png`))).image);
  await detector.detect(images[0]!); // warm-up (first inference compiles kernels)
  let t0 = performance.now();
  const perFrame = [];
  for (const image of images) perFrame.push(await detector.detect(image));
  const detectMs = (performance.now() - t0) / images.length;
  t0 = performance.now();
  const tracked = await detector.detectSequence!(images);
  const trackMs = (performance.now() - t0) / images.length;
  const drawnIoU = async (landmarks: (typeof tracked)[number], id: string) => {
    if (!landmarks) return null;
    const official = (await readImage(join(dir, `${id}_contour.png`))).image;
    const ours = renderLandmarkImage(landmarks, { width: official.width, height: official.height });
    return classOverlaps(labelLandmarkColours(ours), labelLandmarkColours(official), 7);
  };
  console.log(`## Landmark sources (${ids.length} frames)\n`);
  console.log(`| landmarks | ms per frame | ${COLOUR_NAMES.join(' | ')} | all drawn |`);
  console.log(`|---|---${'|---'.repeat(7)}|`);
  for (const [name, ms, found] of [
    ['detect every frame', detectMs, perFrame],
    ['track (prepare)', trackMs, tracked],
  ] as const) {
    const rows: (number | null)[][] = [];
    for (const [i, id] of ids.entries()) {
      const o = await drawnIoU(found[i]!, id);
      if (o) rows.push([...o.slice(1).map(iou), pooledIoU(o, 1)]);
    }
    const means = Array.from({ length: 7 }, (_, k) => mean(rows.map((r) => r[k]!)));
    console.log(
      `| ${name} (${rows.length} faces) | ${ms.toFixed(0)} | ${means.map(fmt).join(' | ')} |`,
    );
  }
  console.log('');
  const contourRows: string[] = [];
  const colourIoUs: (number | null)[][] = [];
  const segIoUs: (number | null)[][] = [];
  const segRows: string[] = [];
  for (const [i, id] of ids.entries()) {
    const image = images[i]!;
    const landmarks = tracked[i];
    if (!landmarks) {
      contourRows.push(`| ${id} | no face detected |`);
      continue;
    }
    const official = (await readImage(join(dir, `${id}_contour.png`))).image;
    const ours = renderLandmarkImage(landmarks, { width: image.width, height: image.height });
    const o = classOverlaps(labelLandmarkColours(ours), labelLandmarkColours(official), 7);
    const perColour = o.slice(1).map(iou);
    const overall = pooledIoU(o, 1);
    colourIoUs.push([...perColour, overall]);
    contourRows.push(`| ${id} | ${[...perColour, overall].map(fmt).join(' | ')} |`);

    const seg = landmarkOracleSegmentation(landmarks, image.width, image.height);
    const ref = await readSegmentationPng(
      join(dir, `${id}_segmap_merged.png`),
      image.width,
      image.height,
    );
    const so = classOverlaps(seg, ref, 19);
    const perClass = so.map(iou);
    const present = mean(perClass);
    const agree = so.reduce((s, c) => s + c.intersection, 0) / seg.length;
    segIoUs.push([...perClass, present, agree]);
    segRows.push(`| ${id} | ${fmt(present)} | ${fmt(agree)} |`);
  }
  detector.dispose();
  const colourMeans = Array.from({ length: 7 }, (_, k) => mean(colourIoUs.map((r) => r[k]!)));
  console.log(
    `## Landmark image vs official contour (${colourIoUs.length} of ${ids.length} frames)\n`,
  );
  console.log(`| frame | ${COLOUR_NAMES.join(' | ')} | all drawn |`);
  console.log(`|---${'|---'.repeat(7)}|`);
  for (const row of contourRows) console.log(row);
  console.log(`| **mean** | ${colourMeans.map(fmt).join(' | ')} |\n`);

  console.log(`## Oracle segmentation vs official segmap_merged (${segIoUs.length} frames)\n`);
  console.log('| class | mean IoU | frames present |\n|---|---|---|');
  SEGMENTATION_CLASSES.forEach((name, c) => {
    const values = segIoUs.map((r) => r[c]!);
    console.log(
      `| ${c} ${name} | ${fmt(mean(values))} | ${values.filter((v) => v !== null).length} |`,
    );
  });
  const mIoU = mean(segIoUs.map((r) => r[19]!));
  const acc = mean(segIoUs.map((r) => r[20]!));
  console.log(`| **mean over classes present (per frame)** | ${fmt(mIoU)} | |`);
  console.log(`| **pixel agreement** | ${fmt(acc)} | |\n`);
  console.log('| frame | mIoU | pixel agreement |\n|---|---|---|');
  for (const row of segRows) console.log(row);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
