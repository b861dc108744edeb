import { describe, expect, it } from 'vitest';
import { validateFrameStore } from './frame-store';
import { syntheticFrameStore } from './synthetic-store';

describe('validateFrameStore', () => {
  it('accepts a consistent store and names the frame, pixel and id of a class id outside 0..18', () => {
    const store = syntheticFrameStore({ resolution: 4, videos: 2, framesPerVideo: 2, seed: 3 });
    expect(validateFrameStore(store)).toBe(store);
    store.videos[1]!.frames[0]!.segmentation[6] = 19;
    expect(() => validateFrameStore(store)).toThrow(
      'frame store: frame id1/video/00000: class id 19 at (2, 1) is outside 0..18',
    );
  });

  it('names a frame whose arrays do not match the resolution', () => {
    const store = syntheticFrameStore({ resolution: 4, videos: 1, framesPerVideo: 1 });
    store.videos[0]!.frames[0]!.landmarks = new Float32Array(3);
    expect(() => validateFrameStore(store)).toThrow(
      'frame store: frame id0/video/00000 does not match resolution 4',
    );
  });
});
