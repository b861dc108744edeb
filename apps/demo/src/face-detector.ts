/**
 * In-browser 68-point landmarks with @vladmandic/face-api (SSD MobileNet v1 + landmark68), the
 * same detector the build uses in Node. Weights load from this app's origin (models/face-api/);
 * face-api runs on the tfjs engine and backend the app already initialised.
 *
 * VoxCeleb-style crops are tight; as in @th/data's Node detector, the frame is padded with black
 * by half its size on every side before detection and the points are mapped back. Frames larger
 * than DETECT_SIDE are shrunk for the detector only; the landmarks come back in the frame's pixels.
 */
import type { Landmarks68, Point } from '@th/data';

type FaceApi = typeof import('@vladmandic/face-api');
let loading: Promise<FaceApi> | null = null;

async function faceApi(): Promise<FaceApi> {
  loading ??= (async () => {
    const api = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as FaceApi;
    const base = new URL('models/face-api/', document.baseURI).href;
    await api.nets.ssdMobilenetv1.loadFromUri(base);
    await api.nets.faceLandmark68Net.loadFromUri(base);
    return api;
  })();
  try {
    return await loading;
  } catch (err) {
    loading = null;
    throw new Error(`the face detector could not load: ${(err as Error).message}`);
  }
}

/** Largest side of the image the detector sees (its own input is 512² anyway). */
const DETECT_SIDE = 640;

/** Landmarks of the most confident face in `source` (a canvas), or null when there is none. */
export async function detectLandmarks(source: HTMLCanvasElement): Promise<Landmarks68 | null> {
  const api = await faceApi();
  const scale = Math.min(1, DETECT_SIDE / Math.max(source.width, source.height));
  const width = Math.round(source.width * scale);
  const height = Math.round(source.height * scale);
  const pad = Math.round(0.5 * Math.max(width, height));
  const padded = document.createElement('canvas');
  padded.width = width + 2 * pad;
  padded.height = height + 2 * pad;
  const ctx = padded.getContext('2d');
  if (!ctx) throw new Error('detectLandmarks: no 2D canvas context');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, padded.width, padded.height);
  ctx.drawImage(source, pad, pad, width, height);
  const faces = await api
    .detectAllFaces(padded, new api.SsdMobilenetv1Options({ minConfidence: 0.5 }))
    .withFaceLandmarks();
  if (faces.length === 0) return null;
  const best = faces.reduce((a, b) => (b.detection.score > a.detection.score ? b : a));
  // Pixel-centre aligned: detector pixel i covers frame pixels around (i + 0.5) / s − 0.5.
  const sx = width / source.width;
  const sy = height / source.height;
  return best.landmarks.positions.map(
    (p): Point => [(p.x - pad + 0.5) / sx - 0.5, (p.y - pad + 0.5) / sy - 0.5],
  );
}
