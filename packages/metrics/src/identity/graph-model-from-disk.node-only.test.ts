import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGraphModelFromDisk } from './graph-model-from-disk.node-only';

// A hand-written graph model: y = x · w (elementwise), w = [3, −0.5] in one weight shard.
const float = { type: 'DT_FLOAT' };
const modelJson = {
  format: 'graph-model',
  modelTopology: {
    node: [
      {
        name: 'x',
        op: 'Placeholder',
        attr: { dtype: float, shape: { shape: { dim: [{ size: '1' }, { size: '2' }] } } },
      },
      {
        name: 'w',
        op: 'Const',
        attr: {
          dtype: float,
          value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }] } } },
        },
      },
      { name: 'y', op: 'Mul', input: ['x', 'w'], attr: { T: float } },
    ],
    versions: {},
  },
  weightsManifest: [
    { paths: ['shard1of1.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] },
  ],
};

describe('loadGraphModelFromDisk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graph model-'));
  beforeAll(async () => {
    await init({ backend: 'cpu' });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, 'shard1of1.bin'), new Uint8Array(new Float32Array([3, -0.5]).buffer));
  });

  it('loads model.json and its shard from disk (a path with a space) and runs it', async () => {
    const model = await loadGraphModelFromDisk(join(dir, 'model.json'));
    const y = model.predict(tf.tensor2d([[2, 4]])) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([6, -2]);
    tf.dispose(y);
    model.dispose();
  });

  it('names the file when it or a shard is missing, or is not a graph model', async () => {
    await expect(loadGraphModelFromDisk(join(dir, 'none.json'))).rejects.toThrow(
      /none\.json: cannot load the tfjs graph model \(cannot read file:.*none\.json: .*ENOENT/,
    );
    writeFileSync(
      join(dir, 'orphan.json'),
      JSON.stringify({
        ...modelJson,
        weightsManifest: [{ paths: ['gone.bin'], weights: modelJson.weightsManifest[0]!.weights }],
      }),
    );
    await expect(loadGraphModelFromDisk(join(dir, 'orphan.json'))).rejects.toThrow(
      /orphan\.json: cannot load the tfjs graph model \(cannot read file:.*gone\.bin: .*ENOENT/,
    );
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 1 }));
    await expect(loadGraphModelFromDisk(join(dir, 'other.json'))).rejects.toThrow(
      /other\.json: cannot load the tfjs graph model \(.*neither model topology or manifest/,
    );
  });
});
