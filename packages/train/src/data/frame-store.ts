import { validateSegmentation } from '@th/data';

/**
 * Preprocessed frames at the model's resolution, grouped by video (the unit LSR samples an
 * example from, docs/design.md#training-examples). Plain arrays so stores can be cached, sliced and
 * built in tests.
 */
export interface StoredFrame {
  /** e.g. `id00017/OLguY5ofUrY/00003` */
  id: string;
  /** RGB in [-1, 1], HWC float32. */
  rgb: Float32Array;
  /** Landmark image in [-1, 1], HWC float32. */
  landmarks: Float32Array;
  /** Oracle segmentation, class ids, HW. */
  segmentation: Uint8Array;
}

export interface StoredVideo {
  /** `<identity>/<video>` */
  id: string;
  frames: StoredFrame[];
}

export interface FrameStore {
  resolution: number;
  videos: StoredVideo[];
}

/**
 * Checks sizes and class ids so a broken cache or loader fails here with a named frame, not deep
 * in a conv. The class ids are checked here, on the CPU where they already live, because the layout
 * cross-entropy cannot read labels back synchronously on every backend (it turns a bad id into NaN).
 */
export function validateFrameStore(store: FrameStore): FrameStore {
  const r = store.resolution;
  if (!Number.isInteger(r) || r < 1) throw new Error(`frame store: bad resolution ${r}`);
  if (store.videos.length === 0) throw new Error('frame store: no videos');
  for (const video of store.videos) {
    for (const f of video.frames) {
      if (
        f.rgb.length !== r * r * 3 ||
        f.landmarks.length !== r * r * 3 ||
        f.segmentation.length !== r * r
      )
        throw new Error(`frame store: frame ${f.id} does not match resolution ${r}`);
      validateSegmentation(f.segmentation, r, r, `frame store: frame ${f.id}`);
    }
  }
  return store;
}
