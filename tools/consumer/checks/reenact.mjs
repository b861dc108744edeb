import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus, sh } from '../shell.mjs';

/**
 * A short `th reenact` from the consumer project with the bundled model: 4 source photos and the
 * first 4 frames of a clip from the repository's fixtures, to an mp4 of 4 frames. With
 * `expectMissingDetector`, face-api is not installed yet: the run must fail at once, name the
 * package and write nothing.
 */
export function checkReenact(app, root, { expectMissingDetector = false } = {}) {
  const fixtures = join(root, 'fixtures/voxceleb2');
  const sources = [0, 1, 2, 3].map((i) =>
    join(fixtures, `frames/train/id00017/OLguY5ofUrY/0000${i}_rgb.png`),
  );
  const driver = join(fixtures, 'videos/id00017/OLguY5ofUrY/00039.mp4');
  const out = join(app, expectMissingDetector ? 'missing.mp4' : 'reenact.mp4');
  const args = ['--no-install', 'th', 'reenact', '--source', ...sources, '--driver', driver];
  const run = sh('npx', [...args, '--out', out, '--max-frames', '4', '--quiet'], { cwd: app });
  if (expectMissingDetector) {
    expectStatus(run, 1, 'th reenact without face-api');
    if (!run.stderr.includes('npm install @vladmandic/face-api@1.7.15'))
      throw new Error(`the error does not name the package to install:\n${run.stderr}`);
    if (existsSync(out)) throw new Error(`${out} was written although the run failed`);
    return run.stderr.trim();
  }
  expectStatus(run, 0, 'th reenact');
  const probe = sh('ffprobe', [
    ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', out],
  ]);
  expectStatus(probe, 0, `ffprobe ${out}`);
  if (probe.stdout.trim() !== 'h264,64,64,4')
    throw new Error(
      `${out}: expected h264,64,64,4 (codec,width,height,frames), got ${probe.stdout}`,
    );
  return `${out}: ${probe.stdout.trim()}; ${run.stdout.trim()}`;
}
