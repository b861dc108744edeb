/**
 * The Node reference for the e2e test: the same checkpoint, sample photos, landmarks and clip
 * frame as the page, through @th/infer (createSubject, renderFrame) on tfjs wasm in Node, once
 * watermarked as the page's frame should be and once without the watermark. The page runs the same
 * library in Chromium, with the photos decoded by the browser, so the comparison checks the browser
 * path (image decoding, canvas read-back, tfjs-wasm in a tab, the bundle, the watermark) against
 * Node.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { init } from '@th/backend';
import { readImage } from '@th/data/node';
import { createSubject, type RenderedFrame, renderFrame } from '@th/infer';
import { CHECKPOINT_FILE } from '../src/checkpoint-file';
import type { LandmarkClip } from '../src/drivers';
import { loadDemoModel } from '../src/model-loader';

/**
 * `streamIndex` is the frame's position in the page's stream: the watermark's sign depends on it,
 * so the reference must be marked at the same position.
 */
export async function referenceFrame(
  distDir: string,
  clipIndex: number,
  streamIndex: number,
): Promise<{ marked: RenderedFrame; unmarked: RenderedFrame }> {
  await init({ backend: 'wasm' });
  const bytes = new Uint8Array(await readFile(join(distDir, 'models', CHECKPOINT_FILE)));
  const { model } = await loadDemoModel(bytes, CHECKPOINT_FILE);
  const index = JSON.parse(await readFile(join(distDir, 'samples/index.json'), 'utf8'));
  const clip = JSON.parse(
    await readFile(join(distDir, 'samples/clip.json'), 'utf8'),
  ) as LandmarkClip;
  const sample = index.samples[0] as { frames: { file: string; landmarks: [number, number][] }[] };
  const frames = await Promise.all(
    sample.frames.map(async (f) => (await readImage(join(distDir, f.file))).image),
  );
  const subject = await createSubject({
    model,
    frames,
    landmarks: sample.frames.map((f) => f.landmarks),
  });
  const driver = clip.frames[clipIndex];
  if (!driver) throw new Error(`referenceFrame: clip has no frame ${clipIndex}`);
  const input = { landmarks: driver, width: clip.width, height: clip.height };
  const marked = await renderFrame(subject, input, { index: streamIndex });
  const unmarked = await renderFrame(subject, input, {
    index: streamIndex,
    provenance: { watermark: false, warn: () => {} },
  });
  subject.dispose();
  model.dispose();
  return { marked, unmarked };
}
