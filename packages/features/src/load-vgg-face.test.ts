import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVggFace } from './load-vgg-face';
import { f32Entry, safetensorsBytes } from './safetensors-test-bytes';
import { VGG_FACE_CONVS, vggFaceDenseLayers } from './vgg-face-network';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

function writeWeights(name: string, entries: Parameters<typeof safetensorsBytes>[0]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'th-vggface-')), name);
  writeFileSync(path, safetensorsBytes(entries));
  return path;
}

/** Every tensor of a VGG-Face at `inputSize`, zero-filled (small sizes keep the file small). */
function allEntries(inputSize: number) {
  return [...VGG_FACE_CONVS, ...vggFaceDenseLayers(inputSize)].flatMap(([name, cin, cout]) => [
    f32Entry(`${name}/kernel`, name.startsWith('fc') ? [cin, cout] : [3, 3, cin, cout]),
    f32Entry(`${name}/bias`, [cout], 0.25),
  ]);
}

describe('loadVggFace', () => {
  it('explains how to convert the Keras h5 when the file is absent', async () => {
    await expect(loadVggFace('/nonexistent/vggface.safetensors')).rejects.toThrow(
      /VGG-Face weights not available.*no such file.*convert-vggface-h5\.py/,
    );
  });

  it('names the file, the missing tensor and its expected shape', async () => {
    const path = writeWeights('partial.safetensors', [f32Entry('conv1_1/kernel', [3, 3, 3, 64])]);
    await expect(loadVggFace(path)).rejects.toThrow(
      /partial\.safetensors: missing tensor "conv1_1\/bias" \(expected shape \[64\]\)/,
    );
  });

  it('names a misshapen tensor (fc8 with 1000 ImageNet classes instead of 2622)', async () => {
    const entries = allEntries(32).map((e) =>
      e.name === 'fc8/kernel' ? f32Entry('fc8/kernel', [4096, 1000]) : e,
    );
    const path = writeWeights('imagenet-top.safetensors', entries);
    const before = tf.memory().numTensors;
    await expect(loadVggFace(path, { inputSize: 32 })).rejects.toThrow(
      /imagenet-top\.safetensors: tensor "fc8\/kernel" has shape \[4096,1000\], expected \[4096,2622\]/,
    );
    expect(tf.memory().numTensors).toBe(before); // the loaded tensors were freed
  });

  it('loads a complete file (zero kernels: fc8 equals its bias)', { timeout: 30_000 }, async () => {
    const net = await loadVggFace(writeWeights('ok.safetensors', allEntries(32)), {
      inputSize: 32,
    });
    expect(net.isProxy).toBe(false);
    expect(net.inputSize).toBe(32);
    const logits = net.logits(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D);
    expect(logits.shape).toEqual([1, 2622]);
    expect(tf.max(tf.abs(tf.sub(logits, 0.25))).dataSync()[0]).toBe(0);
    logits.dispose();
    net.dispose();
  });
});
