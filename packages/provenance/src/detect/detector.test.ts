import { describe, expect, it } from 'vitest';
import { createWatermarker } from '../embed/watermarker';
import type { ImageBytes } from '../image';
import { encodePayload, syntheticPayload } from '../scheme/payload';
import { cropImage, halveImage, smoothFrames } from '../testing/smooth-frames';
import { createDetector, DETECTION_FALSE_ALARM } from './detector';

const payload = syntheticPayload('5ab0');
const frames = smoothFrames(40);
const marked = frames.map((f, i) => createWatermarker({ payload }).mark(f, i));

function detect(list: ImageBytes[], key?: string, decodePayload = true) {
  const d = createDetector({ key, decodePayload });
  for (const f of list) d.addFrame(f);
  return d.result();
}

describe('detector (in-process edits; ffmpeg re-encodes are in the node tests and the bench)', () => {
  it('finds the mark and decodes the payload in a marked sequence, at the right alignment', () => {
    const r = detect(marked);
    expect(r.present).toBe(true);
    expect(r.falseAlarm).toBeLessThan(1e-20);
    expect(r.alignment.tilesAcross).toBe(2);
    expect(r.alignment.sequenceOffset).toBe(0);
    expect(Math.hypot(...r.alignment.shift)).toBeLessThan(0.1);
    expect(r.payload?.value).toBe(encodePayload(payload));
    expect(r.payload).toMatchObject({ version: 1, synthetic: true, modelId: 0x5ab });
  });
  it('finds it after a 6-pixel crop per side and after halving, with the frames cut mid-sequence', () => {
    const cropped = detect(marked.slice(5).map((f) => cropImage(f, 6)));
    expect(cropped.present).toBe(true);
    expect(cropped.alignment.sequenceOffset).toBe(5);
    // the tile now starts 6 px into the frame: shift ≡ −6 (mod 32), in canonical pixels of the
    // nearest scale on the search grid (1.56 tiles across vs the true 52/32 = 1.625)
    expect(Math.abs(cropped.alignment.shift[0] - 26)).toBeLessThan(1.5);
    expect(Math.abs(cropped.alignment.shift[1] - 26)).toBeLessThan(1.5);
    expect(cropped.payload?.value).toBe(encodePayload(payload));
    const halved = detect(marked.map(halveImage));
    expect(halved.present).toBe(true);
    expect(halved.payload?.value).toBe(encodePayload(payload));
  });
  it('finds nothing in the unmarked frames or with another key', () => {
    expect(detect(frames).present).toBe(false);
    const other = detect(marked, 'another key');
    expect(other.present).toBe(false);
    expect(other.payload).toBeNull();
  });
  it('finds the mark in one lossless frame', () => {
    const r = detect(marked.slice(3, 4));
    expect(r.present).toBe(true);
    expect(r.frames).toBe(1);
  });
  it('false-alarm values are calibrated: over 300 keys on unmarked frames, P(FA ≤ q) ≤ q', () => {
    // Under "no watermark" the reported falseAlarm is an upper bound on a p-value, so the share of
    // keys reaching falseAlarm ≤ q must not exceed q (binomial slack: 3 sd).
    const values: number[] = [];
    const one = frames.slice(0, 1);
    for (let k = 0; k < 300; k++) values.push(detect(one, `key ${k}`, false).falseAlarm);
    for (const q of [0.1, 0.3, 0.5]) {
      const share = values.filter((v) => v <= q).length / values.length;
      expect(share).toBeLessThanOrEqual(q + 3 * Math.sqrt((q * (1 - q)) / values.length));
    }
    expect(Math.min(...values)).toBeGreaterThan(DETECTION_FALSE_ALARM);
  });
  it('says so when no frame was added', () => {
    expect(() => createDetector().result()).toThrow(/no frames/);
  });
});
