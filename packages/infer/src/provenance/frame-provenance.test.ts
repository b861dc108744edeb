import type { RgbImage } from '@th/data';
import type { LsrModel } from '@th/models';
import { createDetector, drawSyntheticLabel, SCHEME_ID } from '@th/provenance';
import { describe, expect, it } from 'vitest';
import {
  finishFrame,
  modelProvenance,
  recordModelIdentity,
  WATERMARK_OFF_NOTICE,
} from './frame-provenance';

/** Smooth frames with a little motion (stand-ins for rendered output). */
function frames(count: number): RgbImage[] {
  return Array.from({ length: count }, (_, t) => {
    const data = new Uint8Array(64 * 64 * 3);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const v = 90 + 60 * Math.sin((x + t) / 9) * Math.cos(y / 11);
        data.set([v, v * 0.8, v * 0.6], (y * 64 + x) * 3);
      }
    return { width: 64, height: 64, data };
  });
}

// Only used as an identity key here, as loadModel does with a real model.
const model = {} as LsrModel;
recordModelIdentity(model, { sha256: `abc${'0'.repeat(61)}`, preset: 'lsr-64' });

describe('finishFrame', () => {
  it('watermarks by default: the detector finds it and reads "synthetic" and the model id', () => {
    const owner = {};
    const detector = createDetector();
    for (const [i, f] of frames(24).entries()) detector.addFrame(finishFrame(f, i, model, owner));
    const r = detector.result();
    expect(r.present).toBe(true);
    expect(r.payload).toMatchObject({ version: 1, synthetic: true, modelId: 0xabc });
  });

  it('watermark: false returns the frame unmarked and says so once per owner', () => {
    const notices: string[] = [];
    const owner = {};
    const options = { watermark: false as const, warn: (m: string) => notices.push(m) };
    const [a, b] = frames(2);
    expect(finishFrame(a!, 0, model, owner, options)).toBe(a);
    expect(finishFrame(b!, 1, model, owner, options)).toBe(b);
    expect(notices).toEqual([WATERMARK_OFF_NOTICE]);
  });

  it('label: true draws the visible label under the watermark', () => {
    const [f] = frames(1);
    const plain = finishFrame(f!, 0, model, {}, { watermark: false, label: true, warn: () => {} });
    expect(plain.data).toEqual(drawSyntheticLabel(f!).data);
    const marked = finishFrame(f!, 0, model, {}, { label: true });
    let differ = 0;
    for (let i = 0; i < marked.data.length; i++) if (marked.data[i] !== plain.data[i]) differ++;
    expect(differ).toBeGreaterThan(marked.data.length / 2); // the pattern covers the frame
  });

  it('a private key marks for that key only', () => {
    const detector = createDetector({ key: 'studio' });
    const publicDetector = createDetector();
    frames(24).forEach((f, i) => {
      const m = finishFrame(f, i, model, {}, { watermark: { key: 'studio' } });
      detector.addFrame(m);
      publicDetector.addFrame(m);
    });
    expect(detector.result().present).toBe(true);
    expect(publicDetector.result().present).toBe(false);
  });
});

describe('modelProvenance', () => {
  it('names the model by hash and preset, the scheme, and "none" when the watermark is off', () => {
    expect(modelProvenance(model)).toMatchObject({
      synthetic: true,
      generator: '@th',
      model: `sha256:abc${'0'.repeat(61)}`,
      preset: 'lsr-64',
      watermark: SCHEME_ID,
    });
    expect(modelProvenance(model, false).watermark).toBe('none');
    expect(modelProvenance({} as LsrModel).model).toBeUndefined();
  });
});
