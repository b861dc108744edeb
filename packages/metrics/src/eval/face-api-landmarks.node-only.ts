import { createFaceApiDetector } from '@th/data/node';
import type { HwcImage } from '../image';
import type { LandmarkDetector, Point2 } from '../nmke';

export const FACE_API_LANDMARKS_NAME = 'face-api landmark68';

/** uint8-range HWC with 3 channels → @th/data's `{ width, height, data: Uint8Array }` RGB. */
function toRgb(image: HwcImage): { width: number; height: number; data: Uint8Array } {
  if (image.channels !== 3) {
    throw new Error(`face-api landmarks: expected 3 channels, got ${image.channels}`);
  }
  const data = image.data instanceof Uint8Array ? image.data : Uint8Array.from(image.data);
  return { width: image.width, height: image.height, data };
}

/**
 * The offline 68-point detector for NMKE: @th/data's face-api detector (SSD MobileNet v1 +
 * landmark68, wasm). LSR's NMKE used FAN-2D; numbers from this detector are only comparable with
 * each other, so reports name it.
 */
export async function faceApiLandmarkDetector(): Promise<LandmarkDetector & { dispose(): void }> {
  const detector = await createFaceApiDetector();
  return {
    name: FACE_API_LANDMARKS_NAME,
    async detect(image: HwcImage): Promise<Point2[] | null> {
      const points = await detector.detect(toRgb(image));
      return points ? points.map((p): Point2 => [p[0], p[1]]) : null;
    },
    dispose: () => detector.dispose(),
  };
}
