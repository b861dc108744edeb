/**
 * The three views of a rendered frame: the LSR output, the argmax of its layout (coloured by
 * @th/data's class palette) and the landmark image that drove it, all at model resolution.
 */
import type { RenderedFrame } from '@th/infer';
import { drawRgb } from './image-input';

export interface FrameViews {
  output: HTMLCanvasElement;
  layout: HTMLCanvasElement;
  driver: HTMLCanvasElement;
}

export function showFrame(views: FrameViews, frame: RenderedFrame): void {
  drawRgb(views.output, frame.image);
  drawRgb(views.layout, frame.layout);
  drawRgb(views.driver, frame.landmarkImage);
}
