/**
 * @th outputs for the benchmark: the bundled model renders each (source identity, shot set,
 * driver clip) pair once without the watermark, then the frames are marked exactly as
 * `renderFrame` marks them (`finishFrame`) and written with the CLI's writer (libx264 default
 * CRF 23, provenance tags). Keeping the unmarked frames gives the watermark's PSNR cost.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LandmarkDetector, RgbImage } from '@th/data';
import {
  createFrameWriter,
  createSubject,
  finishFrame,
  modelProvenance,
  readDriverLandmarks,
  readSources,
  renderStream,
} from '@th/infer/node';
import type { LsrModel } from '@th/models';

export interface RenderedClip {
  name: string;
  path: string;
  frames: number;
  /** PSNR of every marked frame against its unmarked render (dB). */
  psnr: number[];
}

function psnr(a: RgbImage, b: RgbImage): number {
  let se = 0;
  for (let i = 0; i < a.data.length; i++) se += (a.data[i]! - b.data[i]!) ** 2;
  const mse = se / a.data.length;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}

export async function renderClip(options: {
  model: LsrModel;
  name: string;
  sources: string[];
  driverLandmarks: string;
  detector: LandmarkDetector;
  out: string;
}): Promise<RenderedClip> {
  const { model, name } = options;
  const sources = await readSources(options.sources);
  const subject = await createSubject({
    model,
    frames: sources.frames,
    names: sources.names,
    detector: options.detector,
    onMissingFace: 'skip',
  });
  const file = await readDriverLandmarks(options.driverLandmarks);
  const withFace = file.frames.filter((f) => f !== null);
  await mkdir(options.out, { recursive: true });
  const path = join(options.out, `${name}.mp4`);
  const size = subject.resolution;
  const writer = await createFrameWriter(
    path,
    { width: size, height: size, fps: file.fps ?? 25 },
    '',
    modelProvenance(model),
  );
  const owner = {};
  const psnrs: number[] = [];
  try {
    // Frames without a face are skipped, as `th reenact --no-face skip` does.
    const drivers = withFace.map((landmarks) => ({
      landmarks,
      width: file.width,
      height: file.height,
    }));
    const unmarked = { watermark: false as const, warn: () => {} };
    for await (const out of renderStream(subject, drivers, { provenance: unmarked })) {
      const marked = finishFrame(out.image, out.index, model, owner);
      psnrs.push(psnr(out.image, marked));
      await writer.write(marked);
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    subject.dispose();
  }
  if (psnrs.length !== withFace.length)
    throw new Error(`${name}: rendered ${psnrs.length} frames, expected ${withFace.length}`);
  return { name, path, frames: psnrs.length, psnr: psnrs };
}
