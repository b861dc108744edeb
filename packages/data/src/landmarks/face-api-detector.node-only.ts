/**
 * Node-only: 68-point landmarks with @vladmandic/face-api (SSD MobileNet v1 face box +
 * landmark68 net), fully offline: models load from the package's `model/` folder and the wasm
 * binaries from node_modules (never a CDN). face-api is an optional peer, loaded on tfjs-core
 * alone (`loadFaceApi`).
 *
 * VoxCeleb2 crops are so tight that SSD scores the face ≈0.1 at 224²; padding the frame with black
 * by half its size on every side makes the face look like the detector's training data (scores
 * 0.94–0.99 on the fixture frames). Landmarks are mapped back to the unpadded frame.
 *
 * face-api runs on the global tfjs engine with the wasm backend; the previously active backend is
 * restored after each call so that callers using another backend are not disturbed.
 */
import { assertRgbImage, type RgbImage } from '../image/rgb-image';
import type { LandmarkDetector, Landmarks68, Point } from './landmarks';
import { loadFaceApi } from './load-face-api.node-only';

export interface FaceApiDetectorOptions {
  /** SSD score below which a box is not a face (default 0.5) */
  minConfidence?: number;
  /** black border added on every side, as a fraction of max(width, height) (default 0.5) */
  padFraction?: number;
}

// Minimal structural types of the parts of face-api we use (its bundle is untyped CommonJS here).
interface FaceApiTensor {
  dispose(): void;
}
interface FaceApiResult {
  detection: { score: number };
  landmarks: { positions: { x: number; y: number }[] };
}
interface FaceApiModule {
  tf: {
    getBackend(): string;
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(data: Int32Array, shape: [number, number, number], dtype: 'int32'): FaceApiTensor;
  };
  nets: Record<
    'ssdMobilenetv1' | 'faceLandmark68Net',
    { loadFromDisk(dir: string): Promise<void> }
  >;
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  detectAllFaces(
    input: FaceApiTensor,
    options: unknown,
  ): { withFaceLandmarks(): Promise<FaceApiResult[]> };
}

/** Copy RGB into a black int32 canvas with `pad` pixels of border (face-api's input format). */
function paddedInt32(image: RgbImage, pad: number): { data: Int32Array; w: number; h: number } {
  const w = image.width + 2 * pad;
  const h = image.height + 2 * pad;
  const data = new Int32Array(w * h * 3);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width * 3; x++) {
      data[((y + pad) * w + pad) * 3 + x] = image.data[y * image.width * 3 + x]!;
    }
  }
  return { data, w, h };
}

/** Load the models once and return a detector (first call takes ~0.5 s). */
export async function createFaceApiDetector(
  options: FaceApiDetectorOptions = {},
): Promise<LandmarkDetector> {
  const minConfidence = options.minConfidence ?? 0.5;
  const padFraction = options.padFraction ?? 0.5;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new Error(`createFaceApiDetector: minConfidence must be in [0, 1], got ${minConfidence}`);
  }
  if (!(padFraction >= 0)) throw new Error(`createFaceApiDetector: bad padFraction ${padFraction}`);
  const { faceapi, modelDir } = await loadFaceApi<FaceApiModule>();
  const withWasm = async <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = faceapi.tf.getBackend();
    if (previous !== 'wasm' && !(await faceapi.tf.setBackend('wasm'))) {
      throw new Error('face-api detector: the tfjs wasm backend failed to initialise');
    }
    await faceapi.tf.ready();
    try {
      return await fn();
    } finally {
      if (previous && previous !== 'wasm') await faceapi.tf.setBackend(previous);
    }
  };
  await withWasm(async () => {
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  });
  const ssdOptions = new faceapi.SsdMobilenetv1Options({ minConfidence });

  return {
    async detect(image: RgbImage): Promise<Landmarks68 | null> {
      assertRgbImage(image, 'face-api detector');
      const pad = Math.round(padFraction * Math.max(image.width, image.height));
      const { data, w, h } = paddedInt32(image, pad);
      const faces = await withWasm(async () => {
        const input = faceapi.tf.tensor3d(data, [h, w, 3], 'int32');
        try {
          return await faceapi.detectAllFaces(input, ssdOptions).withFaceLandmarks();
        } finally {
          input.dispose();
        }
      });
      if (faces.length === 0) return null;
      const best = faces.reduce((a, b) => (b.detection.score > a.detection.score ? b : a));
      return best.landmarks.positions.map((p): Point => [p.x - pad, p.y - pad]);
    },
    dispose(): void {
      // The nets are module-level singletons in face-api; nothing per-detector to free.
    },
  };
}
