import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { encodeSafetensors, init, type RawTensor } from '@th/backend';
import type { LandmarkDetector, RgbImage } from '@th/data';
import { writePng } from '@th/data/node';
import { VGG19_CONVS } from '@th/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIP, ffprobe, SOURCES, tempDir, writeSmallCheckpoint } from '../testing/fixtures';
import { th } from '../testing/run-th';
import { syntheticFace } from '../testing/synthetic-face';

/** A detector that finds the synthetic face everywhere except on the calls listed (0-based). */
function scriptedDetector(noFaceOnCalls: number[] = []): LandmarkDetector {
  let call = 0;
  return {
    async detect(image: RgbImage) {
      return noFaceOnCalls.includes(call++) ? null : syntheticFace(image.width);
    },
    dispose() {},
  };
}

let dir: string;
let checkpoint: string;
beforeAll(async () => {
  await init({ backend: 'wasm' });
  dir = tempDir();
  // Described as th-train describes its checkpoints: the losses and VGG19 proxy it trained with.
  checkpoint = await writeSmallCheckpoint(dir, 0, {
    train: { seed: 5, vgg19: 'proxy', losses: { stage2: { l1: 10, penaltyInterval: 4 } } },
  });
});

const base = (out: string, frames = 4) => [
  'reenact',
  '--checkpoint',
  checkpoint,
  '--source',
  ...SOURCES,
  '--driver',
  CLIP,
  '--out',
  out,
  '--max-frames',
  String(frames),
  '--backend',
  'wasm',
];

describe('th reenact', () => {
  it('writes a playable h264 mp4 and a panels video (face-api landmarks)', async () => {
    const out = join(dir, 'out.mp4');
    const r = await th([...base(out, 6), '--k', '2', '--panels']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote 6 frames/);
    const video = ffprobe(out);
    expect(video).toMatchObject({
      codec_name: 'h264',
      width: 64,
      height: 64,
      pix_fmt: 'yuv420p',
      nb_read_frames: '6',
    });
    const panels = ffprobe(join(dir, 'out.panels.mp4'));
    expect(panels).toMatchObject({
      codec_name: 'h264',
      width: 256,
      height: 64,
      nb_read_frames: '6',
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp.mp4'))).toEqual([]); // temp files renamed
  });

  it('writes a GIF and a PNG frame folder with panels', async () => {
    const gif = join(dir, 'out.gif');
    const tuned = await th(
      [...base(gif, 3), '--finetune', '--finetune-steps', '1'],
      scriptedDetector(),
    );
    expect(tuned.code).toBe(0);
    expect(tuned.stderr).toMatch(/fine-tune \[#+\] 1\/1/);
    // The checkpoint's own training losses, its VGG19 proxy rebuilt (the model trained with it).
    expect(tuned.stderr).toMatch(
      /fine-tuning losses: the checkpoint's training losses \(adversarial 1, L1 10, VGG19 0\.1 \(random-feature proxy, seed 5, as in training\)/,
    );
    expect(tuned.stderr).not.toMatch(/VGG19 perceptual term off/);
    const lsr = await th(
      [...base(join(dir, 'lsr.gif'), 1), '--finetune', '--finetune-steps', '1'].concat(
        '--finetune-losses',
        'lsr',
      ),
      scriptedDetector(),
    );
    expect(lsr.code).toBe(0);
    expect(lsr.stderr).not.toMatch(/fine-tuning losses/);
    expect(lsr.stderr).toMatch(/VGG19 perceptual term off/);
    expect(ffprobe(gif)).toMatchObject({
      codec_name: 'gif',
      width: 64,
      height: 64,
      nb_read_frames: '3',
    });
    const folder = join(dir, 'frames');
    expect(
      (await th([...base(folder, 3), '--panels', '--adapt-shape'], scriptedDetector())).code,
    ).toBe(0);
    expect(readdirSync(folder).sort()).toEqual([
      '00000.png',
      '00000_panels.png',
      '00001.png',
      '00001_panels.png',
      '00002.png',
      '00002_panels.png',
    ]);
  });
});

describe('th reenact --finetune --vgg19', () => {
  it('fine-tunes with the perceptual term on when VGG19 weights are given', async () => {
    // VGG19's conv stack (block1_conv1 … block5_conv1) with small deterministic weights.
    const tensors = new Map<string, RawTensor>();
    for (const [name, cin, cout] of VGG19_CONVS) {
      const kernel = new Float32Array(9 * cin * cout);
      const scale = Math.sqrt(2 / (9 * cin));
      for (let i = 0; i < kernel.length; i++) kernel[i] = scale * Math.sin(1.7 * i + cout);
      const bias = new Float32Array(cout).fill(0.01);
      tensors.set(`${name}/kernel`, {
        dtype: 'F32',
        shape: [3, 3, cin, cout],
        bytes: new Uint8Array(kernel.buffer),
      });
      tensors.set(`${name}/bias`, {
        dtype: 'F32',
        shape: [cout],
        bytes: new Uint8Array(bias.buffer),
      });
    }
    const weights = join(dir, 'vgg19.safetensors');
    writeFileSync(weights, encodeSafetensors(tensors, {}));
    const args = [...base(join(dir, 'vgg.gif'), 1), '--finetune', '--finetune-steps', '1'];
    const withVgg = await th([...args, '--vgg19', weights], scriptedDetector());
    expect(withVgg.code).toBe(0);
    expect(withVgg.stderr).toMatch(/fine-tune \[#+\] 1\/1/);
    expect(withVgg.stderr).not.toMatch(/VGG19 perceptual term off/);
    expect(withVgg.stderr).toMatch(/as in training\)[^\n]*; --vgg19's weights replace the proxy/);
    expect(withVgg.stderr).toMatch(/VGG-Face perceptual and identity terms off/); // not given
  });
});

describe('th reenact: bad input gets a clear message', () => {
  it('driver frames without a face: fail lists them, skip drops them and says which', async () => {
    // calls 0-3 are the 4 sources; driver frames 2 and 3 are calls 6 and 7
    const fail = await th(base(join(dir, 'f.mp4'), 5), scriptedDetector([6, 7]));
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/no face found in driver frame\(s\) 2-3 \(0-based\)/);
    expect(existsSync(join(dir, 'f.mp4'))).toBe(false);
    const skip = await th(
      [...base(join(dir, 's.mp4'), 5), '--no-face', 'skip'],
      scriptedDetector([6, 7]),
    );
    expect(skip.code).toBe(0);
    expect(skip.stderr).toMatch(/skipped driver frame\(s\) without a face: 2-3/);
    expect(ffprobe(join(dir, 's.mp4')).nb_read_frames).toBe('3');
  });

  it('a source without a face is named', async () => {
    const r = await th(base(join(dir, 'x.mp4')), scriptedDetector([1]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no face found in source frame\(s\): 00001_rgb\.png; pass --no-face skip to drop them/,
    );
  });

  it('a folder of photos is a --source; the backend and synthesis path are told only with --verbose', async () => {
    const folder = join(dir, 'photos');
    mkdirSync(folder);
    for (const s of SOURCES) copyFileSync(s, join(folder, basename(s)));
    writeFileSync(join(folder, 'notes.txt'), 'not a photo: ignored');
    const args = (out: string) => [
      'reenact',
      ...['--checkpoint', checkpoint, '--source', folder, '--driver', CLIP, '--out', out],
      ...['--max-frames', '1', '--backend', 'wasm', '--quiet'],
    ];
    const detector = scriptedDetector();
    const r = await th(args(join(dir, 'folder.gif')), detector);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 1 frames to .*folder\.gif \(backend wasm;/);
    expect(r.stderr).not.toMatch(/backend/);
    expect(r.stderr).not.toMatch(/frame synthesis/);
    const verbose = await th(
      [...args(join(dir, 'verbose.gif')), '--verbose', '--no-capture'],
      scriptedDetector(),
    );
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/^backend wasm: requested$/m);
    expect(verbose.stderr).toMatch(/^frame synthesis: eager \(capture: false\)$/m);
  });

  it('sources of mixed sizes are resized, and the warning says so', async () => {
    const small: RgbImage = {
      width: 100,
      height: 80,
      data: new Uint8Array(100 * 80 * 3).fill(128),
    };
    const odd = join(dir, 'odd.png');
    await writePng(odd, small);
    const args = [
      'reenact',
      '--checkpoint',
      checkpoint,
      '--source',
      SOURCES[0]!,
      odd,
      '--driver',
      CLIP,
      '--out',
      join(dir, 'm.gif'),
      '--max-frames',
      '1',
      '--backend',
      'wasm',
      '--precision',
      'mixed',
    ];
    const r = await th(args, scriptedDetector());
    expect(r.code).toBe(0);
    // wasm has no f16 kernels: one line says the GEMMs stay f32.
    expect(r.stderr).toMatch(/precision mixed: GEMMs in f32: backend wasm has no f16 kernels/);
    expect(r.stderr).toMatch(/mixed sizes \(224x224, 100x80\)/);
    expect(r.stderr).toMatch(/resized to the model resolution 64x64/);
  });

  it('an unreadable source, a missing driver, K too large, an unknown option', async () => {
    const text = join(dir, 'notes.png');
    writeFileSync(text, 'not an image');
    const bad = await th([
      'reenact',
      '--checkpoint',
      checkpoint,
      '--source',
      text,
      '--driver',
      CLIP,
      '--out',
      join(dir, 'b.mp4'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/notes\.png/);
    const noDriver = await th([
      'reenact',
      '--checkpoint',
      checkpoint,
      '--source',
      ...SOURCES,
      '--driver',
      join(dir, 'nope.mp4'),
      '--out',
      join(dir, 'b.mp4'),
    ]);
    expect(noDriver.stderr).toMatch(/nope\.mp4: video file not found|nope\.mp4: driver not found/);
    const bigK = await th([...base(join(dir, 'k.mp4')), '--k', '9'], scriptedDetector());
    expect(bigK.code).toBe(2);
    expect(bigK.stderr).toMatch(/--k 9 is larger than the 4 source image\(s\) given/);
    const usage = await th(['reenact', '--frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option --frobnicate/);
    const precision = await th([...base(join(dir, 'p.mp4')), '--precision', 'f16']);
    expect(precision.code).toBe(2);
    expect(precision.stderr).toMatch(/--precision must be "f32" or "mixed", got "f16"/);
  });
});

describe('th info', () => {
  it('prints preset, step, versions, parameter counts and the SHA-256 status', async () => {
    const r = await th(['info', checkpoint]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/preset\s+lsr-64/);
    expect(r.stdout).toMatch(/@th\/infer@test/);
    // README of @th/models: lsr-64 G^l 1,269,178 and G^I 1,181,115 parameters
    expect(r.stdout).toMatch(/layoutGenerator\s+1,269,178/);
    expect(r.stdout).toMatch(/imageGenerator\s+1,181,115/);
    expect(r.stdout).toMatch(/sha256\s+[0-9a-f]{64} \(verified/);
    const json = JSON.parse((await th(['info', checkpoint, '--json'])).stdout) as {
      parameters: Record<string, number>;
    };
    expect(json.parameters.styleEncoder).toBe(767_328);
  });

  it('refuses a corrupted checkpoint, naming the problem', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(checkpoint);
    bytes[bytes.length - 5]! ^= 0xff;
    const broken = join(dir, 'broken.safetensors');
    writeFileSync(broken, bytes);
    const r = await th(['info', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.safetensors: tensor data is corrupted/);
  });
});
