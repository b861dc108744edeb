import { faceApiLandmarkDetector } from '../eval/face-api-landmarks.node-only';
import type { HwcImage } from '../image';
import { alignArcFace, fivePointsFrom68 } from './arcface-alignment';
import { FaceNotFoundError } from './face-not-found';

/** Finds a face and returns its 112x112 ArcFace-aligned crop (float32 RGB, 0..255). */
export interface ArcFaceAligner {
  /** `landmarks` (68 points) skip detection: the crop is aligned on them. */
  align(
    image: HwcImage,
    landmarks?: readonly (readonly [number, number])[],
  ): Promise<HwcImage & { data: Float32Array }>;
  dispose(): void;
}

/**
 * 5-point ArcFace alignment from face-api's 68 landmarks (offline, wasm): eye centres, nose tip
 * and mouth corners ({@link fivePointsFrom68}) fitted onto insightface's template by a
 * least-squares similarity and warped bilinearly. An image without a detectable face throws
 * {@link FaceNotFoundError} in the name of `embedderName`.
 */
export async function createArcFaceAligner(embedderName: string): Promise<ArcFaceAligner> {
  const detector = await faceApiLandmarkDetector();
  return {
    async align(image: HwcImage, given?: readonly (readonly [number, number])[]) {
      const landmarks = given ?? (await detector.detect(image));
      if (!landmarks) {
        throw new FaceNotFoundError(embedderName, `${image.width}x${image.height} image`);
      }
      return alignArcFace(image, fivePointsFrom68(landmarks)).crop;
    },
    dispose: () => detector.dispose(),
  };
}
