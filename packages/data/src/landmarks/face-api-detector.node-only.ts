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
 * Utterances (`detectSequence`): VoxCeleb2 frames are face-centred and the face moves little
 * between the frames of one utterance, so the SSD detector (≈90 % of the time per frame) runs
 * only on the first frame; each later frame is cropped where the previous frame's landmarks say
 * the face is, in the same relation to the landmarks as SSD's box had on the first frame, and only
 * the landmark net runs. When the new landmarks disagree with the previous ones (size or position
 * jump), SSD runs again on that frame, so a lost track costs time, never quality.
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

/** Box in padded-frame pixels (x, y = top-left corner). */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where SSD's box sits relative to the landmarks' bounding box (centre offset and size, in landmark-box units). */
interface BoxRelation {
  dx: number;
  dy: number;
  sw: number;
  sh: number;
}

function landmarkBounds(points: readonly Point[]): Box {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, width: Math.max(x1 - x0, 1e-6), height: Math.max(y1 - y0, 1e-6) };
}

function relationOf(box: Box, landmarks: readonly Point[]): BoxRelation {
  const b = landmarkBounds(landmarks);
  return {
    dx: (box.x + box.width / 2 - (b.x + b.width / 2)) / b.width,
    dy: (box.y + box.height / 2 - (b.y + b.height / 2)) / b.height,
    sw: box.width / b.width,
    sh: box.height / b.height,
  };
}

function boxFrom(landmarks: readonly Point[], r: BoxRelation): Box {
  const b = landmarkBounds(landmarks);
  const width = r.sw * b.width;
  const height = r.sh * b.height;
  const cx = b.x + b.width / 2 + r.dx * b.width;
  const cy = b.y + b.height / 2 + r.dy * b.height;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/**
 * Whether tracked landmarks are plausible given the previous frame's: the landmark box may not
 * change size by more than 25 % nor move its centre by more than 20 % of its size.
 */
export function trackConsistent(previous: readonly Point[], next: readonly Point[]): boolean {
  const a = landmarkBounds(previous);
  const b = landmarkBounds(next);
  const size = (r: Box) => Math.sqrt(r.width * r.height);
  const ratio = size(b) / size(a);
  const shift = Math.hypot(
    b.x + b.width / 2 - (a.x + a.width / 2),
    b.y + b.height / 2 - (a.y + a.height / 2),
  );
  return ratio > 0.8 && ratio < 1.25 && shift < 0.2 * size(a);
}

// Minimal structural types of the parts of face-api we use (its bundle is untyped CommonJS here).
interface FaceApiTensor {
  dispose(): void;
}
interface FaceApiLandmarks {
  positions: { x: number; y: number }[];
  shiftBy(x: number, y: number): FaceApiLandmarks;
}
interface FaceApiResult {
  detection: { score: number; box: Box };
  landmarks: FaceApiLandmarks;
}
interface FaceApiModule {
  tf: {
    getBackend(): string;
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(data: Int32Array, shape: [number, number, number], dtype: 'int32'): FaceApiTensor;
  };
  nets: {
    ssdMobilenetv1: { loadFromDisk(dir: string): Promise<void> };
    faceLandmark68Net: {
      loadFromDisk(dir: string): Promise<void>;
      detectLandmarks(face: FaceApiTensor): Promise<FaceApiLandmarks>;
    };
  };
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  Rect: new (x: number, y: number, width: number, height: number) => unknown;
  extractFaceTensors(image: FaceApiTensor, boxes: unknown[]): Promise<FaceApiTensor[]>;
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

  /**
   * Run `fn` on the padded frame as face-api's int32 tensor input (made on the wasm backend, freed
   * after), with the border width.
   */
  const onFrame = <T>(image: RgbImage, fn: (input: FaceApiTensor, pad: number) => Promise<T>) => {
    assertRgbImage(image, 'face-api detector');
    const pad = Math.round(padFraction * Math.max(image.width, image.height));
    const { data, w, h } = paddedInt32(image, pad);
    return withWasm(async () => {
      const input = faceapi.tf.tensor3d(data, [h, w, 3], 'int32');
      try {
        return await fn(input, pad);
      } finally {
        input.dispose();
      }
    });
  };
  const points = (l: FaceApiLandmarks): Point[] => l.positions.map((p): Point => [p.x, p.y]);
  /** SSD + landmark net on the padded frame: the best face's box and landmarks (padded pixels). */
  const detectPadded = async (input: FaceApiTensor) => {
    const faces = await faceapi.detectAllFaces(input, ssdOptions).withFaceLandmarks();
    if (faces.length === 0) return null;
    const best = faces.reduce((a, b) => (b.detection.score > a.detection.score ? b : a));
    const { x, y, width, height } = best.detection.box;
    return { box: { x, y, width, height }, landmarks: points(best.landmarks) };
  };
  /** The landmark net alone on `box` (padded pixels), as face-api crops and shifts it after SSD. */
  const landmarksIn = async (input: FaceApiTensor, box: Box): Promise<Point[]> => {
    const [face] = await faceapi.extractFaceTensors(input, [
      new faceapi.Rect(box.x, box.y, box.width, box.height),
    ]);
    try {
      const found = await faceapi.nets.faceLandmark68Net.detectLandmarks(face!);
      return points(found.shiftBy(box.x, box.y));
    } finally {
      face?.dispose();
    }
  };
  const unpad = (pts: readonly Point[], pad: number): Landmarks68 =>
    pts.map(([x, y]): Point => [x - pad, y - pad]);

  return {
    detect(image: RgbImage): Promise<Landmarks68 | null> {
      return onFrame(image, async (input, pad) => {
        const found = await detectPadded(input);
        return found ? unpad(found.landmarks, pad) : null;
      });
    },
    async detectSequence(frames: readonly RgbImage[]): Promise<(Landmarks68 | null)[]> {
      const out: (Landmarks68 | null)[] = [];
      type Track = { landmarks: Point[]; relation: BoxRelation };
      let track: Track | null = null;
      for (const frame of frames) {
        const previous: Track | null = track;
        const found = await onFrame(
          frame,
          async (input, pad): Promise<(Track & { pad: number }) | null> => {
            if (previous) {
              const box = boxFrom(previous.landmarks, previous.relation);
              const tracked = await landmarksIn(input, box);
              if (trackConsistent(previous.landmarks, tracked))
                return { pad, landmarks: tracked, relation: previous.relation };
            }
            const detected = await detectPadded(input);
            if (!detected) return null;
            return {
              pad,
              landmarks: detected.landmarks,
              relation: relationOf(detected.box, detected.landmarks),
            };
          },
        );
        track = found && { landmarks: found.landmarks, relation: found.relation };
        out.push(found && unpad(found.landmarks, found.pad));
      }
      return out;
    },
    dispose(): void {
      // The nets are module-level singletons in face-api; nothing per-detector to free.
    },
  };
}
