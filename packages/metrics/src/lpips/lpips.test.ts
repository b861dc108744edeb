import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describeBackends } from '@th/backend/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { arraysToSafetensors, deterministicArrays, relDiff } from '../fid/testing-weights';
import type { HwcImage } from '../image';
import { FRAMES_DIR, readRgbPng } from '../testing/read-png';
import { loadLpips } from './load-lpips.node-only';
import { createLpips, type LpipsNetwork } from './lpips';
import { LPIPS_TENSORS } from './lpips-weights';

interface GoldenPair {
  a: string;
  b: string;
  crop64: boolean;
  distance: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../__fixtures__/golden-lpips.json', import.meta.url), 'utf8'),
) as {
  frames: Record<string, string>;
  crop64: { rows: number[]; cols: number[] };
  pairs: GoldenPair[];
};

const frame = (key: string) => readRgbPng(join(FRAMES_DIR, 'test', golden.frames[key]!));
function crop64(image: HwcImage): HwcImage {
  const [r0] = golden.crop64.rows as [number];
  const [c0] = golden.crop64.cols as [number];
  const data = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64 * 3; x++) data[y * 192 + x] = image.data[((r0 + y) * 224 + c0) * 3 + x]!;
  return { data, height: 64, width: 64, channels: 3 };
}

describeBackends('LPIPS v0.1 (alex) on deterministic weights', (backend) => {
  let lpips: LpipsNetwork;
  beforeAll(() => {
    lpips = createLpips(deterministicArrays(LPIPS_TENSORS), 'deterministic');
  });
  afterAll(() => lpips.dispose());

  // The 224 x 224 pairs cost ~1.4 GFLOP each: the pure-JS cpu backend runs only the 64 x 64 one.
  const pairs = golden.pairs.filter((p) => backend !== 'cpu' || p.crop64);
  it.each(pairs)('matches NumPy: $a vs $b (crop64 $crop64)', async (pair) => {
    const [a, b] = [frame(pair.a), frame(pair.b)].map((f) => (pair.crop64 ? crop64(f) : f));
    const d = await lpips.distance(a!, b!);
    expect(relDiff(d, pair.distance)).toBeLessThan(1e-4);
  });

  it('is 0 for identical images, symmetric, non-negative, and leaks no tensors', async () => {
    const [a, b] = [crop64(frame('a0')), crop64(frame('c0'))] as [HwcImage, HwcImage];
    const before = tf.memory().numTensors;
    expect(await lpips.distance(a, a)).toBe(0);
    const ab = await lpips.distance(a, b);
    expect(ab).toBeGreaterThan(0);
    expect(relDiff(await lpips.distance(b, a), ab)).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses images of different shapes and images too small for AlexNet', async () => {
    const a = crop64(frame('a0'));
    await expect(lpips.distance(a, frame('a0'))).rejects.toThrow(/images differ in shape/);
    const tiny = { data: new Uint8Array(20 * 20 * 3), height: 20, width: 20, channels: 3 };
    await expect(lpips.distance(tiny, tiny)).rejects.toThrow(/20x20 is smaller than 31x31/);
  });
});

describeBackends('loadLpips (safetensors file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lpips-'));
  const arrays = deterministicArrays(LPIPS_TENSORS);

  it('loads a file with PyTorch names and gives the same distance', async () => {
    const file = join(dir, 'lpips.safetensors');
    writeFileSync(file, arraysToSafetensors(arrays));
    const fromFile = await loadLpips(file);
    const [a, b] = [crop64(frame('a0')), crop64(frame('b0'))] as [HwcImage, HwcImage];
    const want = golden.pairs.find((p) => p.crop64)!.distance;
    expect(relDiff(await fromFile.distance(a, b), want)).toBeLessThan(1e-4);
    fromFile.dispose();
  });

  it('names the file and the tensor when something is missing or wrong', async () => {
    await expect(loadLpips(join(dir, 'absent.safetensors'))).rejects.toThrow(
      /absent\.safetensors: cannot read the LPIPS weights file \(ENOENT\).*convert-lpips\.py/,
    );
    const missing = new Map(arrays);
    missing.delete('lin3.model.1.weight');
    writeFileSync(join(dir, 'missing.safetensors'), arraysToSafetensors(missing));
    await expect(loadLpips(join(dir, 'missing.safetensors'))).rejects.toThrow(
      /missing\.safetensors: 1 of the 15 tensors LPIPS needs are missing: "lin3\.model\.1\.weight" \[1, 256, 1, 1\]/,
    );
    const misshapen = new Map(arrays);
    misshapen.set('features.3.weight', {
      shape: [192, 64, 3, 3],
      data: new Float32Array(192 * 64 * 9),
    });
    writeFileSync(join(dir, 'shape.safetensors'), arraysToSafetensors(misshapen));
    await expect(loadLpips(join(dir, 'shape.safetensors'))).rejects.toThrow(
      /shape\.safetensors: tensor "features\.3\.weight" has shape \[192, 64, 3, 3\], LPIPS expects \[192, 64, 5, 5\]/,
    );
    const negative = new Map(arrays);
    negative.set('lin0.model.1.weight', {
      shape: [1, 64, 1, 1],
      data: new Float32Array(64).fill(-1),
    });
    writeFileSync(join(dir, 'neg.safetensors'), arraysToSafetensors(negative));
    await expect(loadLpips(join(dir, 'neg.safetensors'))).rejects.toThrow(
      /"lin0\.model\.1\.weight"\[0\] is -1; LPIPS linear heads are non-negative/,
    );
  });
}, ['wasm']);
