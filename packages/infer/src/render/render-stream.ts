/**
 * Rendering a stream of driver landmarks: an async iterable in, an async iterable of frames out,
 * one frame in flight at a time (pull-based), so memory does not grow with the driver's length.
 */
import type { Landmarks68 } from '@th/data';
import { createShapeAdapter } from '../landmarks/adapt-shape';
import type { ProvenanceOptions } from '../provenance/frame-provenance';
import type { Subject } from '../subject/subject';
import type { SynthesisOptions } from './frame-synthesis';
import { type DriverInput, driverToModel, type RenderedFrame, renderFrame } from './render-frame';

/** `capture` and `log`: see RenderOptions (captured-graph replay on WebGPU, default on). */
export interface StreamOptions extends SynthesisOptions {
  /**
   * Face-shape adaptation (beyond the paper; see adapt-shape.ts). `true`: the driver's reference
   * shape is its first frame; or give the reference (model pixels, e.g. the driver's mean shape).
   * Default off: the driver's landmarks are used as they are, as the paper does.
   */
  adaptShape?: boolean | { driverReference: Landmarks68 };
  /** Watermark (default on) and visible label (default off); see ProvenanceOptions. */
  provenance?: ProvenanceOptions;
}

export async function* renderStream(
  subject: Subject,
  drivers: AsyncIterable<DriverInput> | Iterable<DriverInput>,
  options: StreamOptions = {},
): AsyncGenerator<RenderedFrame> {
  const adapt = options.adaptShape;
  let adapter =
    typeof adapt === 'object'
      ? createShapeAdapter(subject.meanShape, adapt.driverReference)
      : undefined;
  let index = 0;
  for await (const driver of drivers) {
    if (adapt === true && !adapter) {
      adapter = createShapeAdapter(subject.meanShape, driverToModel(driver, subject.resolution));
    }
    yield await renderFrame(subject, driver, {
      index,
      adapter,
      provenance: options.provenance,
      capture: options.capture,
      log: options.log,
    });
    index++;
  }
}
