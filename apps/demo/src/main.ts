/**
 * The demo page: K source photos → an @th/infer subject, a driver → landmarks → LSR output,
 * layout map and frame rate. Input preparation, encoding and rendering are @th/infer's (the same
 * code `th reenact` runs, watermark included; the "SYNTHETIC" label box draws the visible label).
 * Every failure becomes a message in the page; the loop and the last good
 * state stay. URL parameters: `backend` (auto|webgpu|webgl|wasm|cpu) forces a backend.
 */
import type { BackendPreference } from '@th/backend';
import { init } from '@th/backend';
import type { Landmarks68, RgbImage } from '@th/data';
import { createSubject, renderFrame, type Subject } from '@th/infer';
import { CHECKPOINT_FILE } from './checkpoint-file';
import {
  cameraDriver,
  clipDriver,
  type Driver,
  type LandmarkClip,
  videoFileDriver,
} from './drivers';
import { detectLandmarks } from './face-detector';
import { importGpuBackends } from './gpu-backends';
import { canvasToRgb, fileToCanvas, urlToCanvas } from './image-input';
import { type DemoModel, loadDemoModel } from './model-loader';
import { showFrame } from './views';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const message = $('message');
const status = $('status');
const fpsOut = $('fps');
const playButton = $<HTMLButtonElement>('play');
const output = $<HTMLCanvasElement>('output-canvas');

const views = {
  output,
  layout: $<HTMLCanvasElement>('layout-canvas'),
  driver: $<HTMLCanvasElement>('driver-canvas'),
};

/** A source photo at its own size and its 68 landmarks in its pixels. */
interface Shot {
  name: string;
  image: RgbImage;
  landmarks: Landmarks68;
}

interface SampleIndex {
  samples: { id: string; frames: { file: string; landmarks: Landmarks68 }[] }[];
}

let loaded: DemoModel | null = null;
let shots: Shot[] = [];
let subject: Subject | null = null;
let driver: Driver | null = null;
let clip: LandmarkClip | null = null;
let loopToken = 0;

function showMessage(text: string | null): void {
  message.hidden = text === null;
  message.textContent = text ?? '';
}
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const url = (path: string) => new URL(path, document.baseURI).href;

/** Encode the current shots with the current model (@th/infer crops, resizes and encodes). */
async function setSubject(): Promise<void> {
  if (!loaded || shots.length === 0) return;
  const next = await createSubject({
    model: loaded.model,
    frames: shots.map((s) => s.image),
    landmarks: shots.map((s) => s.landmarks),
    names: shots.map((s) => s.name),
  });
  subject?.dispose();
  subject = next;
}

function showSources(canvases: HTMLCanvasElement[]): void {
  $('sources').replaceChildren(...canvases);
  $('sources').dataset.count = String(canvases.length);
}

async function useSample(id: string, index: SampleIndex): Promise<void> {
  const sample = index.samples.find((s) => s.id === id);
  if (!sample) throw new Error(`unknown sample ${id}`);
  const canvases = await Promise.all(sample.frames.map((f) => urlToCanvas(url(f.file))));
  shots = sample.frames.map((f, i) => ({
    name: f.file,
    image: canvasToRgb(canvases[i]!),
    landmarks: f.landmarks,
  }));
  showSources(canvases);
  await setSubject();
}

async function useUploads(files: File[]): Promise<void> {
  const canvases: HTMLCanvasElement[] = [];
  const next: Shot[] = [];
  for (const file of files) {
    const canvas = await fileToCanvas(file);
    status.textContent = `finding the face in ${file.name}…`;
    const landmarks = await detectLandmarks(canvas);
    if (!landmarks)
      throw new Error(`no face found in "${file.name}"; choose a photo with one clear face`);
    canvases.push(canvas);
    next.push({ name: file.name, image: canvasToRgb(canvas), landmarks });
  }
  shots = next;
  showSources(canvases);
  await setSubject();
  status.textContent = driver ? 'running' : 'stopped';
}

async function loop(token: number): Promise<void> {
  let frames = 0;
  const started = performance.now();
  status.textContent = 'running';
  while (token === loopToken && driver) {
    const frame = await driver.next();
    if (token !== loopToken) break;
    if (!subject) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (!frame.landmarks) {
      showMessage('no face found in the driver frame; face the camera or pick another video');
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const { landmarks, width, height } = frame;
    // Consecutive indices: the invisible watermark changes sign with the stream position.
    const rendered = await renderFrame(
      subject,
      { landmarks, width, height },
      { index: frames, provenance: { label: $<HTMLInputElement>('label-box').checked } },
    );
    showFrame(views, rendered);
    output.dataset.frame = String(frame.index ?? -1);
    output.dataset.streamIndex = String(rendered.index);
    frames++;
    output.dataset.rendered = String(frames);
    fpsOut.textContent = ((frames * 1000) / (performance.now() - started)).toFixed(1);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  // Stopped by the user (no driver left): the canvases now hold the last frame for good.
  if (!driver) status.textContent = 'stopped';
}

function start(next: Driver): void {
  driver?.stop();
  driver = next;
  const video = $<HTMLVideoElement>('driver-video');
  video.hidden = !next.video;
  playButton.textContent = 'Stop';
  playButton.disabled = false;
  void loop(++loopToken).catch((err) => {
    showMessage(`rendering failed: ${errorText(err)}`);
    status.textContent = 'stopped';
  });
}

function stop(): void {
  loopToken++;
  driver?.stop();
  driver = null;
  playButton.textContent = 'Play';
  status.textContent = 'stopping';
}

async function chooseDriver(kind: string, file?: File): Promise<void> {
  const video = $<HTMLVideoElement>('driver-video');
  if (kind === 'clip' && clip) return start(clipDriver(clip));
  if (kind === 'camera') return start(await cameraDriver(video));
  if (kind === 'video' && file) return start(await videoFileDriver(video, file));
}

/** Run an action from the UI: its error becomes the page message; success clears it. */
function guarded(action: () => Promise<void>): void {
  action().then(
    () => showMessage(null),
    (err) => showMessage(errorText(err)),
  );
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backendSelect = $<HTMLSelectElement>('backend-select');
  const preference = (params.get('backend') ?? 'auto') as BackendPreference;
  backendSelect.value = preference;
  backendSelect.onchange = () => {
    params.set('backend', backendSelect.value);
    location.search = params.toString();
  };
  await importGpuBackends(preference);
  const report = await init({ backend: preference, wasmPaths: url('wasm/') });
  $('backend').textContent = report.backend;
  $('backend').title = report.skipped.map((s) => `${s.backend}: ${s.reason}`).join('\n');

  const [index, clipJson, bytes] = await Promise.all([
    fetch(url('samples/index.json')).then((r) => r.json() as Promise<SampleIndex>),
    fetch(url('samples/clip.json')).then((r) => r.json() as Promise<LandmarkClip>),
    fetch(url(`models/${CHECKPOINT_FILE}`)).then(async (r) => {
      if (!r.ok) throw new Error(`models/${CHECKPOINT_FILE}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    }),
  ]);
  clip = clipJson;
  await setModel(await loadDemoModel(bytes, CHECKPOINT_FILE));

  const sampleSelect = $<HTMLSelectElement>('sample-select');
  sampleSelect.replaceChildren(...index.samples.map((s) => new Option(s.id, s.id)));
  sampleSelect.onchange = () => guarded(() => useSample(sampleSelect.value, index));
  await useSample(index.samples[0]!.id, index);

  const sourceInput = $<HTMLInputElement>('source-input');
  sourceInput.onchange = () => {
    const files = Array.from(sourceInput.files ?? []);
    sourceInput.value = '';
    if (files.length) guarded(() => useUploads(files));
  };
  const checkpointInput = $<HTMLInputElement>('checkpoint-input');
  checkpointInput.onchange = () => {
    const file = checkpointInput.files?.[0];
    checkpointInput.value = '';
    if (file)
      guarded(async () =>
        setModel(await loadDemoModel(new Uint8Array(await file.arrayBuffer()), file.name)),
      );
  };
  const driverSelect = $<HTMLSelectElement>('driver-select');
  const videoInput = $<HTMLInputElement>('video-input');
  driverSelect.onchange = () => {
    videoInput.hidden = driverSelect.value !== 'video';
    if (driverSelect.value === 'video') videoInput.click();
    else guarded(() => chooseDriver(driverSelect.value));
  };
  videoInput.onchange = () => {
    const file = videoInput.files?.[0];
    videoInput.value = '';
    if (file) guarded(() => chooseDriver('video', file));
  };
  playButton.onclick = () => (driver ? stop() : guarded(() => chooseDriver(driverSelect.value)));
  await chooseDriver('clip');
}

async function setModel(next: DemoModel): Promise<void> {
  const previous = loaded;
  loaded = next;
  try {
    await setSubject();
  } catch (err) {
    loaded = previous;
    next.model.dispose();
    throw err;
  }
  previous?.model.dispose();
  const name = $('model-name');
  name.textContent = next.label;
  name.className = next.untrained ? 'untrained' : '';
}

boot().catch((err) => {
  showMessage(`the demo could not start: ${errorText(err)}`);
  status.textContent = 'failed';
});
