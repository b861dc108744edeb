/**
 * Benchmark: robustness of the @th watermark (scheme th-wm/1) and its false alarms.
 *
 *   npm run bench -- --data <voxceleb2-sample> [--work DIR] [--extra FILE|FOLDER ...] [--out DIR]
 *                    [--renders N]   (only the first N renders: a quick trial run)
 *   npm run bench -- --from-json ../../results/infer/provenance-robustness.json   (rewrite the .md only)
 *
 * 1. @th outputs: the bundled lsr-64 model renders every (identity, shot set, driver clip) of the
 *    sample (4 × 2 × 4 = 32 videos, full clip length), marked as `th reenact` marks them.
 * 2. Each video goes through the edits of transforms.ts (ffmpeg); detection rate per video on the
 *    whole video and on its first 4 s and 2 s; payload and metadata survival; PSNR cost.
 * 3. Real content never marked: every frame and clip of the sample (clips also after each edit,
 *    and shrunk to 64×64 like @th's output), the sample's stills, and real photos (face-api's
 *    demo pictures from npm, plus --extra images): false positives per frame and per video.
 *
 * Writes <out>/provenance-robustness.md and .json (default results/infer/ of the repository).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { init } from '@th/backend';
import { bundledModelPath, loadModel } from '@th/infer/node';
import { encodePayload, syntheticPayload } from '@th/provenance';
import { ffmpegPath } from '@th/provenance/node';
import { measureFile, PREFIXES } from './measure';
import { type RenderedClip, renderClip } from './render-clips';
import { compact, formatReport, type Report } from './report';
import {
  bundledPhotos,
  clipLandmarks,
  disposeDetector,
  extraImages,
  faceApi,
  sampleClips,
  sampleFrames,
  trainFrames,
} from './sample';
import { applyTransform, TRANSFORMS } from './transforms';

function parse(argv: string[]) {
  const o = {
    data: process.env.TH_VOXCELEB2_SAMPLE,
    work: join(tmpdir(), 'th-provenance-bench'),
    extra: [] as string[],
    out: resolve('../../results/infer'), // npm runs the bench in packages/infer
    renders: Number.POSITIVE_INFINITY,
    fromJson: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (!x) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--data') o.data = v();
    else if (a === '--work') o.work = v();
    else if (a === '--extra') o.extra.push(v());
    else if (a === '--out') o.out = resolve(v());
    else if (a === '--renders') o.renders = Number(v());
    else if (a === '--from-json') o.fromJson = resolve(v());
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.data && !o.fromJson)
    throw new Error(
      'pass --data <path of the VoxCeleb2 sample> (or set TH_VOXCELEB2_SAMPLE); see README',
    );
  return { ...o, data: resolve(o.data ?? '.') };
}

const log = (line: string) => console.log(line);

/** 64×64 version of a real clip (centre square, area resampling): real content at @th's size. */
function shrinkTo64(src: string, dir: string): Promise<string> {
  const out = join(dir, `${basename(src, '.mp4')}.64.mp4`);
  const vf = 'crop=min(iw\\,ih):min(iw\\,ih),scale=64:64:flags=area';
  return new Promise((res, rej) =>
    execFile(
      ffmpegPath(),
      ['-v', 'error', '-y', '-i', src, '-vf', vf, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', out],
      (e, _o, err) => (e ? rej(new Error(`${src}: ${err || e.message}`)) : res(out)),
    ),
  );
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.fromJson) {
    const report = JSON.parse(await readFile(o.fromJson, 'utf8')) as Report;
    const md = o.fromJson.replace(/\.json$/, '.md');
    await writeFile(md, formatReport(report));
    log(`wrote ${md}`);
    return;
  }
  const started = performance.now();
  await init({ backend: 'wasm' });
  const clips = await sampleClips(o.data);
  log(`driver landmarks (face-api, cached in ${o.work})`);
  const landmarks = new Map<string, string>();
  for (const c of clips) landmarks.set(c.path, await clipLandmarks(c, o.work, log));

  // 1. renders
  const { model, meta } = await loadModel(bundledModelPath());
  const expectedPayload = encodePayload(syntheticPayload(meta.dataSha256));
  const renders: RenderedClip[] = [];
  const identities = [...new Set(clips.map((c) => c.identity))];
  const shotSets = [
    [0, 8, 16, 24],
    [4, 12, 20, 28],
  ];
  const detector = await faceApi();
  for (const identity of identities) {
    const photos = await trainFrames(o.data, identity);
    for (const [s, set] of shotSets.entries())
      for (const clip of clips) {
        if (renders.length >= o.renders) break;
        const name = `${identity}-shots${s}-drives-${clip.identity}`;
        const sources = set.map((i) => photos[i]!).filter(Boolean);
        const t0 = performance.now();
        const r = await renderClip({
          model,
          name,
          sources,
          driverLandmarks: landmarks.get(clip.path)!,
          detector,
          out: join(o.work, 'renders'),
        });
        renders.push(r);
        log(
          `render ${renders.length}/${identities.length * shotSets.length * clips.length} ${name}: ${r.frames} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
  }
  model.dispose();
  disposeDetector();

  // 2. edits and detection on @th outputs
  const marked: Report['marked'] = {};
  for (const t of TRANSFORMS) {
    marked[t.id] = [];
    for (const r of renders) {
      const path = await applyTransform(r.path, t, join(o.work, 'edited'));
      marked[t.id]!.push(compact(await measureFile(path)));
    }
    const found = marked[t.id]!.filter((m) => m.whole.present).length;
    log(`marked, ${t.id}: found in ${found}/${renders.length}`);
  }

  // 3. real content
  const realVideos: Report['realVideos'] = {};
  const realDir = join(o.work, 'real');
  await mkdir(realDir, { recursive: true });
  const small = await Promise.all(clips.map((c) => shrinkTo64(c.path, realDir)));
  for (const t of TRANSFORMS) {
    realVideos[t.id] = [];
    for (const src of [...clips.map((c) => c.path), ...small]) {
      const path = await applyTransform(src, t, realDir);
      // per-frame false alarms: every frame of the unedited clips, tested one at a time
      realVideos[t.id]!.push(compact(await measureFile(path, t.id === 'as-written')));
    }
    log(
      `real, ${t.id}: flagged ${realVideos[t.id]!.filter((m) => m.whole.present).length}/${realVideos[t.id]!.length}`,
    );
  }
  const stills = [
    ...(await sampleFrames(o.data)),
    ...bundledPhotos(),
    ...(await extraImages(o.extra)),
  ];
  const realImages: Report['realImages'] = [];
  for (const path of stills) {
    const m = await measureFile(path);
    realImages.push({
      file: basename(path),
      present: m.whole.present,
      falseAlarm: m.whole.falseAlarm,
    });
  }
  log(`real images: flagged ${realImages.filter((r) => r.present).length}/${realImages.length}`);

  const report: Report = {
    generated: new Date().toISOString(),
    command: `npm run bench -- --data <voxceleb2-sample>${o.extra.map((e) => ` --extra ${basename(e)}`).join('')}`,
    seconds: (performance.now() - started) / 1000,
    expectedPayload,
    renders: renders.map((r) => ({
      name: r.name,
      frames: r.frames,
      psnrMean: r.psnr.reduce((a, b) => a + b, 0) / r.psnr.length,
      psnrMin: Math.min(...r.psnr),
    })),
    transforms: TRANSFORMS.map((t) => ({ id: t.id, label: t.label, required: t.required })),
    marked,
    realVideos,
    realImages,
    prefixes: [...PREFIXES],
  };
  await mkdir(o.out, { recursive: true });
  await writeFile(
    join(o.out, 'provenance-robustness.json'),
    `${JSON.stringify(report, null, 1)}\n`,
  );
  await writeFile(join(o.out, 'provenance-robustness.md'), formatReport(report));
  log(`wrote ${join(o.out, 'provenance-robustness.md')} (${(report.seconds / 60).toFixed(1)} min)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
  },
);
