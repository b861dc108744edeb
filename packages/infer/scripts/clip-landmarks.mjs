// Writes fixtures/voxceleb2/clip-landmarks.json: face-api 68-point landmarks of every frame of the
// fixture clip (videos/id00017/OLguY5ofUrY/00039.mp4), in the `th reenact --driver lm.json` format
// ({ width, height, fps, frames: [68 [x, y] pairs | null] }, coordinates rounded to 0.01 px).
// Detection runs at ~0.6 frames/s on 2 cores, so the provenance CI test drives the bundled model
// from this file instead.
//
//   npx turbo run build --filter=@th/infer      # the script imports the built packages
//   node packages/infer/scripts/clip-landmarks.mjs
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { init } from '@th/backend';
import { createFaceApiDetector } from '@th/data/node';
import { openDriver } from '@th/infer/node';

const fixtures = fileURLToPath(new URL('../../../fixtures/voxceleb2/', import.meta.url));
const clip = `${fixtures}videos/id00017/OLguY5ofUrY/00039.mp4`;
await init({ backend: 'wasm' });
const detector = await createFaceApiDetector();
const driver = await openDriver(clip);
const frames = [];
for await (const frame of driver.frames(driver.frameCount)) {
  const lm = await detector.detect(frame);
  frames.push(
    lm ? lm.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]) : null,
  );
  if (frames.length % 20 === 0) console.log(`${frames.length}/${driver.frameCount}`);
}
detector.dispose();
const out = `${fixtures}clip-landmarks.json`;
await writeFile(
  out,
  `${JSON.stringify({ width: driver.width, height: driver.height, fps: driver.fps, frames })}\n`,
);
console.log(
  `wrote ${out} (${frames.length} frames, ${frames.filter((f) => !f).length} without a face)`,
);
process.exit(0);
