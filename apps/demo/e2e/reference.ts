/**
 * The Node reference for the e2e test: the same checkpoint, sample photos, landmarks and clip
 * frame as the page, run through the same pipeline module (src/pipeline.ts) on tfjs wasm.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { init } from '@th/backend';
import { readImage } from '@th/data/node';
import assets from '../src/assets.json';
import type { LandmarkClip } from '../src/drivers';
import { loadModel } from '../src/model-loader';
import { encodeShots, type RenderedFrame, renderFrame } from '../src/pipeline';

export async function referenceFrame(distDir: string, clipIndex: number): Promise<RenderedFrame> {
  await init({ backend: 'wasm' });
  const bytes = new Uint8Array(await readFile(join(distDir, 'models', assets.checkpoint)));
  const { model } = await loadModel(bytes, assets.checkpoint);
  const index = JSON.parse(await readFile(join(distDir, 'samples/index.json'), 'utf8'));
  const clip = JSON.parse(
    await readFile(join(distDir, 'samples/clip.json'), 'utf8'),
  ) as LandmarkClip;
  const sample = index.samples[0] as { frames: { file: string; landmarks: [number, number][] }[] };
  const shots = await Promise.all(
    sample.frames.map(async (f) => ({
      image: (await readImage(join(distDir, f.file))).image,
      landmarks: f.landmarks,
    })),
  );
  const latents = encodeShots(model, shots);
  const driver = clip.frames[clipIndex];
  if (!driver) throw new Error(`referenceFrame: clip has no frame ${clipIndex}`);
  const frame = await renderFrame(model, latents, driver, clip.width, clip.height);
  latents.zs.dispose();
  latents.zl.dispose();
  model.dispose();
  return frame;
}
