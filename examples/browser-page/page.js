// A plain browser page (no framework) that loads the bundled LSR model and renders one frame:
// the subject is one photo with its 68 landmarks; the same landmarks drive it (self-reenactment).
import { init } from '@th/backend';
import { createSubject, loadModel, renderFrame } from '@th/infer';

const status = document.getElementById('status');

/** Decode an image URL into RGB bytes with the browser's own decoder. */
async function loadRgb(url) {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const data = new Uint8Array(bitmap.width * bitmap.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) data.set(rgba.subarray(i, i + 3), j);
  return { width: bitmap.width, height: bitmap.height, data };
}

/** Paint an RGB image onto a canvas, scaled up. */
function show(canvas, image) {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; j < image.data.length; i += 4, j += 3) {
    rgba.set(image.data.subarray(j, j + 3), i);
    rgba[i + 3] = 255;
  }
  const small = new OffscreenCanvas(image.width, image.height);
  small.getContext('2d').putImageData(new ImageData(rgba, image.width), 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

try {
  const report = await init({ backend: 'wasm', wasmPaths: new URL('./', location.href).href });
  status.textContent = `backend ${report.backend}; loading model…`;
  const { model } = await loadModel(new URL('./model.safetensors', location.href));
  const photo = await loadRgb('./00000_rgb.png');
  const { landmarks } = await (await fetch('./landmarks-00000.json')).json();
  const subject = await createSubject({ model, frames: [photo], landmarks: [landmarks] });
  const frame = await renderFrame(subject, { landmarks, width: photo.width, height: photo.height });
  show(document.getElementById('output'), frame.image);
  show(document.getElementById('layout'), frame.layout);
  status.textContent = `rendered a ${frame.image.width}x${frame.image.height} frame in ${frame.timings.totalMs.toFixed(0)} ms on ${report.backend}`;
  window.__thDone = { ok: true };
} catch (err) {
  status.textContent = `error: ${err.message}`;
  window.__thDone = { ok: false, error: String(err.stack ?? err) };
}
