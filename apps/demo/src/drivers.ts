/**
 * Driving sources: each yields, per step, the 68 landmarks of one driver frame (or null when no
 * face was found in it) and the frame size they refer to (@th/infer maps them onto the model's
 * centre square).
 *  - clip: the bundled landmark clip (computed at build time from a fixture video);
 *  - camera / video file: frames grabbed from a <video>, landmarks detected in the browser.
 */
import type { Landmarks68 } from '@th/data';
import { detectLandmarks } from './face-detector';
import { videoFrameCanvas } from './image-input';

export interface DriverFrame {
  landmarks: Landmarks68 | null;
  width: number;
  height: number;
  /** index of the frame within a clip (clip driver only) */
  index?: number;
}

export interface Driver {
  next(): Promise<DriverFrame>;
  stop(): void;
  /** the <video> showing the driver, when there is one */
  video?: HTMLVideoElement;
}

export interface LandmarkClip {
  fps: number;
  width: number;
  height: number;
  frames: Landmarks68[];
}

export function clipDriver(clip: LandmarkClip): Driver {
  let i = 0;
  return {
    async next() {
      const index = i;
      i = (i + 1) % clip.frames.length;
      return {
        landmarks: clip.frames[index] ?? null,
        width: clip.width,
        height: clip.height,
        index,
      };
    },
    stop() {},
  };
}

function videoDriver(video: HTMLVideoElement, release: () => void): Driver {
  return {
    video,
    async next() {
      const frame = videoFrameCanvas(video);
      return { landmarks: await detectLandmarks(frame), width: frame.width, height: frame.height };
    },
    stop() {
      video.pause();
      release();
    },
  };
}

async function playing(video: HTMLVideoElement, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    video.onloadeddata = () => resolve();
    video.onerror = () => reject(new Error(`${what} could not be played as a video`));
  });
  await video.play();
}

/** The webcam; a refused permission becomes a message that says so. */
export async function cameraDriver(video: HTMLVideoElement): Promise<Driver> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new Error('this browser offers no camera access');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  } catch (err) {
    const name = (err as DOMException).name;
    throw new Error(
      name === 'NotAllowedError'
        ? 'camera permission was refused; allow it in the browser, or drive with the bundled clip'
        : `no camera available (${name}); drive with the bundled clip or a video file`,
    );
  }
  video.srcObject = stream;
  video.muted = true;
  await playing(video, 'the camera stream');
  return videoDriver(video, () => {
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  });
}

/** A local video file (never uploaded: played from an object URL). */
export async function videoFileDriver(video: HTMLVideoElement, file: File): Promise<Driver> {
  if (file.type && !file.type.startsWith('video/')) {
    throw new Error(
      `"${file.name}" is not a video (its type is ${file.type}); choose an MP4 or WebM`,
    );
  }
  const url = URL.createObjectURL(file);
  video.srcObject = null;
  video.src = url;
  video.loop = true;
  video.muted = true;
  try {
    await playing(video, `"${file.name}"`);
  } catch (err) {
    URL.revokeObjectURL(url);
    throw err;
  }
  return videoDriver(video, () => URL.revokeObjectURL(url));
}
