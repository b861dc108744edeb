import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, init, rawToTensor } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GOLDEN_CASES,
  GOLDEN_OUTPUTS,
  type GoldenCase,
  goldenInputs,
  goldenModel,
  goldenOutputs,
} from './golden-case';
import { tensorsDigest } from './golden-digest';

/**
 * The five networks against torch_lsr, an independent PyTorch implementation of the same design:
 * same weights (deterministic from the case's seed), same inputs, outputs compared with the
 * float64 PyTorch results committed in __fixtures__ (made by tools/python/torch_lsr_golden.py;
 * docs/design.md#golden-networks). Shape tests cannot catch a swapped concatenation, a misplaced
 * AdaIN or a wrong padding; these do.
 */

/** Largest |@th - torch| over the output, relative to the largest |torch| value. */
const TOLERANCE = 1e-4;

function readFixture(c: GoldenCase) {
  const path = new URL(`./__fixtures__/${c.name}.safetensors`, import.meta.url);
  const file = decodeSafetensors(readFileSync(path), path.pathname);
  return {
    metadata: file.metadata,
    outputs: Object.fromEntries(
      [...file.tensors].map(([name, raw]) => [name, rawToTensor(raw, name)]),
    ),
  };
}

beforeAll(async () => {
  await init({ backend: 'wasm' });
});

describe.each(GOLDEN_CASES)('$name: @th networks equal torch_lsr', (c) => {
  let fixture: ReturnType<typeof readFixture>;
  let model: ReturnType<typeof goldenModel>;
  let inputs: ReturnType<typeof goldenInputs>;
  let outputs: Record<string, tf.Tensor>;

  beforeAll(() => {
    fixture = readFixture(c);
    model = goldenModel(c);
    inputs = goldenInputs(c);
    outputs = goldenOutputs(model, inputs, c.stride);
    return () => {
      tf.dispose([
        ...Object.values(outputs),
        ...Object.values(inputs),
        ...Object.values(fixture.outputs),
      ]);
      model.dispose();
    };
  });

  it('the fixture was made from these weights and inputs', async () => {
    expect(JSON.parse(fixture.metadata.case!)).toEqual(c);
    expect(await tensorsDigest(inputs)).toBe(fixture.metadata.inputs_sha256);
    expect(await tensorsDigest(model.stateDict())).toBe(fixture.metadata.weights_sha256);
  });

  it.each(GOLDEN_OUTPUTS)('%s', async (name) => {
    const ours = outputs[name]!;
    const ref = fixture.outputs[name]!;
    expect(ours.shape).toEqual(ref.shape);
    const [err, scale] = await Promise.all([
      tf.max(tf.abs(tf.sub(ours, ref))).data(),
      tf.max(tf.abs(ref)).data(),
    ]);
    // A scale of zero would make any output pass: the reference must carry signal.
    expect(scale[0]).toBeGreaterThan(1e-3);
    const relative = err[0]! / scale[0]!;
    console.log(
      `${c.name} ${name}: max |@th - torch_lsr| / max |torch_lsr| = ${relative.toExponential(2)}`,
    );
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });
});
