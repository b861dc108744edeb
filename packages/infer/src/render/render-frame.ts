/**
 * Rendering one frame (docs/design.md#rendering): landmark image l_t → layout L = softmax(G^l(l_t;
 * z^l)) →
 * x̂ = G^I(z^s; L), clipped to [−1, 1] and read back as uint8. Every tensor made for the frame is
 * freed before returning (tidy + explicit disposal of the read-back tensors), so a stream of frames
 * holds a constant number of tensors. The returned image carries the invisible watermark (on by
 * default, see ProvenanceOptions) and, if asked, the visible "SYNTHETIC" label.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type Landmarks68,
  landmarkImageAt,
  mapLandmarks,
  type RgbImage,
  squareFit,
  validateLandmarks,
} from '@th/data';
import { imagesToTensor, readLayoutColours, readRgb } from '../image/tensor-images';
import type { ShapeAdapter } from '../landmarks/adapt-shape';
import { finishFrame, type ProvenanceOptions } from '../provenance/frame-provenance';
import type { Subject } from '../subject/subject';
import type { SynthesisOptions } from './frame-synthesis';

/** Driver landmarks in model pixels, or in the pixels of a driver frame of the given size. */
export type DriverInput = Landmarks68 | { landmarks: Landmarks68; width: number; height: number };

export interface FrameTimings {
  /** mapping, shape adaptation and drawing the landmark image */
  landmarkMs: number;
  /**
   * G^l + G^I, clip and argmax (dispatch, or a captured graph's replay on WebGPU; on async
   * backends part of the work lands in readback)
   */
  synthesisMs: number;
  /** read-back, watermark and label */
  readbackMs: number;
  totalMs: number;
}

export interface RenderedFrame {
  /** 0-based position in the stream (0 for a single render). */
  index: number;
  /** x̂, R×R RGB, watermarked (and labelled) as `provenance` says */
  image: RgbImage;
  /** argmax of the layout, colour-coded (see LAYOUT_PALETTE) */
  layout: RgbImage;
  /** the landmark image fed to G^l */
  landmarkImage: RgbImage;
  /** the landmarks actually drawn (model pixels, after any shape adaptation) */
  landmarks: Landmarks68;
  /** How the frame was synthesised: replayed from a captured graph (WebGPU) or eagerly. */
  synthesis: 'captured' | 'eager';
  timings: FrameTimings;
}

/**
 * `capture` (default true): on WebGPU, record the frame's synthesis once per subject and input
 * shape and replay it for later frames (see frame-synthesis.ts); false runs every frame through
 * tfjs op by op (for debugging). `log` receives one line when the path is chosen or changes
 * (default console.info, each distinct line once per process).
 */
export interface RenderOptions extends SynthesisOptions {
  /** Position in the output video (0-based); consecutive frames need consecutive indices. */
  index?: number;
  /** Face-shape adaptation (beyond the paper), see `createShapeAdapter`. */
  adapter?: ShapeAdapter;
  /** Watermark (default on) and visible label (default off). */
  provenance?: ProvenanceOptions;
}

/** Driver landmarks → model pixels. */
export function driverToModel(input: DriverInput, size: number): Landmarks68 {
  if (Array.isArray(input)) return validateLandmarks(input, 'driver landmarks');
  const { landmarks, width, height } = input as {
    landmarks: Landmarks68;
    width: number;
    height: number;
  };
  return mapLandmarks(
    validateLandmarks(landmarks, 'driver landmarks'),
    squareFit(width, height, size),
  );
}

export async function renderFrame(
  subject: Subject,
  driver: DriverInput,
  options: RenderOptions = {},
): Promise<RenderedFrame> {
  subject.assertAlive('renderFrame');
  const t0 = performance.now();
  const size = subject.resolution;
  const mapped = driverToModel(driver, size);
  const landmarks = options.adapter ? options.adapter.adapt(mapped) : mapped;
  const landmarkImage = landmarkImageAt(landmarks, size);
  const t1 = performance.now();
  const [bytes, classes] = tf.tidy(() => {
    const frames = subject.synthesis.run(imagesToTensor([landmarkImage]), options);
    return [
      tf.squeeze(frames.bytes, [0]) as tf.Tensor3D,
      tf.squeeze(frames.classes, [0]) as tf.Tensor2D,
    ] as const;
  });
  const path = subject.synthesis.status.path;
  const t2 = performance.now();
  try {
    const index = options.index ?? 0;
    const image = finishFrame(
      await readRgb(bytes),
      index,
      subject.model,
      subject,
      options.provenance,
    );
    const layout = await readLayoutColours(classes);
    const t3 = performance.now();
    return {
      index,
      image,
      layout,
      landmarkImage,
      landmarks,
      synthesis: path,
      timings: { landmarkMs: t1 - t0, synthesisMs: t2 - t1, readbackMs: t3 - t2, totalMs: t3 - t0 },
    };
  } finally {
    tf.dispose([bytes, classes]);
  }
}
