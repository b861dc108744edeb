// Evaluate a folder of generated frames against the real hold-out frames with @th/eval's th-eval
// (@th/metrics underneath), as the
// FSTH protocol does, and print the Table-2-style report (Markdown; CSV, JSON and a plot of each
// metric against K are written too).
//
//   node main.mjs [--outputs DIR --real DIR] [--out DIR]
//
// Without --outputs it builds a stand-in outputs folder from the bundled hold-out frames (each
// "generated" frame is the real one with deterministic noise: K=1 noisier than K=4), so the report
// has something to score. Layout: <K>/<meta|ft>/<identity>/<NNNNN>.png.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runThEval } from '@th/eval';
import { PNG } from 'pngjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const here = new URL('.', import.meta.url).pathname;
// --real: the FSTH frame tree holding test/<identity>/<video>/**/NNNNN_rgb.png
const real = flag('real', join(here, '../../fixtures/voxceleb2/frames'));
const holdout = join(real, 'test');
const out = flag('out', mkdtempSync(join(tmpdir(), 'th-eval-report-')));

function standInOutputs() {
  const dir = mkdtempSync(join(tmpdir(), 'th-eval-outputs-'));
  let seed = 1;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  for (const [k, amplitude] of [
    [1, 60],
    [4, 25],
  ]) {
    for (const identity of readdirSync(holdout)) {
      const videoDir = join(holdout, identity, readdirSync(join(holdout, identity))[0]);
      const target = join(dir, String(k), 'meta', identity);
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(videoDir).filter((f) => f.endsWith('_rgb.png'))) {
        const png = PNG.sync.read(readFileSync(join(videoDir, file)));
        for (let i = 0; i < png.data.length; i += 4) {
          for (let c = 0; c < 3; c++)
            png.data[i + c] = Math.max(0, Math.min(255, png.data[i + c] + amplitude * noise()));
        }
        writeFileSync(join(target, file.replace('_rgb', '')), PNG.sync.write(png));
      }
    }
  }
  return dir;
}

const outputs = flag('outputs', null) ?? standInOutputs();
const summary = await runThEval([
  '--outputs',
  outputs,
  '--real',
  real,
  '--out',
  out,
  '--k',
  '1,4',
  '--method',
  'example',
]);
console.log(summary);
const report = readFileSync(join(out, 'report.md'), 'utf8');
console.log(report);
if (args.includes('--check')) {
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const text = JSON.stringify(json);
  if (!/psnr/i.test(text) || !/ssim/i.test(text)) {
    console.error('report.json lacks PSNR/SSIM');
    process.exit(1);
  }
}
process.exit(0);
