/**
 * End-to-end: the BUILT demo (dist/, from `npm run build`) in Debian's headless Chromium.
 * 1. Happy path on the bundled sample + bundled landmark clip, backend forced to wasm: the output
 *    canvas equals the (watermarked) Node reference within a tolerance, is neither blank nor noise,
 *    differs from the unmarked frame by about the watermark, the layout map has several colours,
 *    the FPS readout is positive; every request stays on the app's origin.
 * 2. Unhappy path: a text file offered as a source photo → a clear message, the page keeps
 *    rendering, and a real photo uploaded next is accepted.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeRgbPng } from '@th/data/node';
import { decodeCheckpoint } from '@th/models';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from '../src/checkpoint-file';
import { distinctColours, meanAbsDiff, neighbourCorrelation, std } from './image-checks';
import { referenceFrame } from './reference';
import { serveStatic } from './static-server';

const app = resolve(import.meta.dirname, '..');
const dist = join(app, 'dist');
const shots = join(app, 'e2e/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: Awaited<ReturnType<typeof serveStatic>>;
let context: BrowserContext;
let userDataDir: string;
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist} has no built app: run "npm run build -w @th/demo" first`);
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`);
  mkdirSync(shots, { recursive: true });
  server = await serveStatic(dist);
  userDataDir = mkdtempSync(join(tmpdir(), 'th-demo-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 700 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.on('request', (r) => requests.push(r.url()));
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function openApp(): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}?backend=wasm`);
  await page
    .waitForFunction(
      () => {
        if (document.getElementById('status')?.textContent === 'failed')
          throw new Error('start failed');
        return Number(document.getElementById('output-canvas')?.dataset.rendered) >= 2;
      },
      null,
      { timeout: 60_000 },
    )
    .catch(async (err) => {
      const msg = await page.locator('#message').textContent();
      throw new Error(
        `the demo rendered no frames (message: ${msg}; page errors: ${errors.join('; ')}): ${err}`,
      );
    });
  return page;
}

/** Requests that left the app's origin (blob:/data: URLs are local by construction). */
function foreignRequests(): string[] {
  const origin = new URL(server.url).origin;
  return requests.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'),
  );
}

const pixels = (page: Page, id: string) =>
  page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId) as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  }, id);

describe('demo (built app, headless Chromium)', () => {
  it('reenacts the bundled sample: output matches the Node reference, layout and FPS shown', async () => {
    const page = await openApp();
    expect(await page.locator('#backend').textContent()).toBe('wasm');
    // The bundled model is @th/infer's trained one: file name, the preset and resolution its
    // metadata records, and the training step.
    const { meta } = await decodeCheckpoint(
      new Uint8Array(readFileSync(join(dist, 'models', CHECKPOINT_FILE))),
    );
    const resolution = (meta.config as { resolution: number }).resolution;
    expect(await page.locator('#model-name').textContent()).toBe(
      `${CHECKPOINT_FILE} (${meta.preset}, ${resolution}², step ${meta.step})`,
    );
    await page.click('#play'); // stop, so the canvas holds one known clip frame
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'stopped');
    const frameIndex = Number(await page.locator('#output-canvas').getAttribute('data-frame'));
    const streamIndex = Number(
      await page.locator('#output-canvas').getAttribute('data-stream-index'),
    );
    const output = await pixels(page, 'output-canvas');
    const layout = await pixels(page, 'layout-canvas');
    const fps = Number(await page.locator('#fps').textContent());
    await page.screenshot({ path: join(shots, 'demo-happy-path.png') });

    const { marked: reference, unmarked } = await referenceFrame(dist, frameIndex, streamIndex);
    const size = reference.image.width;
    await writeFile(join(shots, 'reference-output.png'), encodeRgbPng(reference.image));
    expect(output.length).toBe(size * size * 4);
    const diff = meanAbsDiff(output, rgbToRgba(reference.image.data));
    // The page's frame carries the watermark: it is much closer to the marked reference than to
    // the same frame without the mark (RMS 2.5 levels).
    const unmarkedDiff = meanAbsDiff(output, rgbToRgba(unmarked.image.data));
    console.log(
      `frame ${frameIndex} (stream ${streamIndex}): mean |page − node| = ${diff.toFixed(3)} levels (${unmarkedDiff.toFixed(3)} to the unmarked frame); std ${std(output).toFixed(1)}; neighbour corr ${neighbourCorrelation(output, size).toFixed(3)}; layout colours ${distinctColours(layout)}; fps ${fps}`,
    );
    expect(diff).toBeLessThan(1.5);
    expect(unmarkedDiff).toBeGreaterThan(diff + 1);
    expect(std(output)).toBeGreaterThan(8);
    expect(neighbourCorrelation(output, size)).toBeGreaterThan(0.5);
    expect(distinctColours(layout)).toBeGreaterThanOrEqual(3);
    expect(fps).toBeGreaterThan(0);

    expect(foreignRequests()).toEqual([]);
    await page.close();
  });

  it('refuses a non-image source with a message, keeps running, then accepts a photo', async () => {
    const page = await openApp();
    await page.setInputFiles('#source-input', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a photo'),
    });
    await expect.poll(() => page.locator('#message').textContent()).toContain('not an image');
    expect(await page.locator('#message').isVisible()).toBe(true);
    const before = Number(await page.locator('#output-canvas').getAttribute('data-rendered'));
    await expect
      .poll(async () => Number(await page.locator('#output-canvas').getAttribute('data-rendered')))
      .toBeGreaterThan(before);

    const photo = join(
      app,
      '../../fixtures/voxceleb2/frames/test/id00081/vvLu_7TpP8c/00000_rgb.png',
    );
    await page.setInputFiles('#source-input', {
      name: 'me.png',
      mimeType: 'image/png',
      buffer: readFileSync(photo),
    });
    await expect
      .poll(() => page.locator('#sources').getAttribute('data-count'), { timeout: 60_000 })
      .toBe('1');
    expect(await page.locator('#message').isHidden()).toBe(true);
    await page.screenshot({ path: join(shots, 'demo-after-upload.png') });
    expect(foreignRequests()).toEqual([]);
    await page.close();
  });
});

/** RGB bytes → RGBA with opaque alpha, to compare with canvas pixels. */
function rgbToRgba(rgb: Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray((rgb.length / 3) * 4);
  for (let p = 0; p < rgb.length / 3; p++) {
    out.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
    out[p * 4 + 3] = 255;
  }
  return out;
}
