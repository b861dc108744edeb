import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../../init';
import { countKernels, mergeProfiles, profileDispatches } from './profile';

describe('profileDispatches (WebGPU)', () => {
  it('splits programs by output shape and workgroup grid, counts what countKernels counts, and merges', async () => {
    await init({ backend: 'webgpu' });
    // Above tfjs' CPU hand-off size, so every op dispatches on the GPU.
    const a = tf.randomNormal([64, 48]);
    const b = tf.randomNormal([64, 48]);
    const c = tf.randomNormal([96, 80]);
    await Promise.all([a.data(), b.data(), c.data()]); // uploaded before the profiled function
    const work = () => tf.dispose([tf.add(a, b), tf.add(b, a), tf.add(c, c)]);
    const counts = await countKernels(work);
    const profile = await profileDispatches(work);
    tf.dispose([a, b, c]);

    expect(profile.dispatches).toBe(counts.dispatches);
    expect(profile.dispatches).toBe(3);
    const sum = (rows: { dispatches: number }[]) => rows.reduce((s, r) => s + r.dispatches, 0);
    expect(sum(profile.calls)).toBe(profile.dispatches);
    expect(sum(profile.programs)).toBe(profile.dispatches);
    // One program, two shapes: the two 64×48 adds are one row, the 96×80 add another.
    const shapes = profile.calls.map((c) => [c.outputShape.join('x'), c.dispatches]).sort();
    expect(shapes).toEqual([
      ['64x48', 2],
      ['96x80', 1],
    ]);
    for (const call of profile.calls) {
      expect(call.name).toBe(profile.programs[0]!.name);
      expect(call.workgroups.length).toBe(3);
      expect(call.workgroups.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
      expect(call.ms).toBeGreaterThanOrEqual(0);
    }
    // Timed or not (lavapipe may lack timestamp queries), the rows add up to the total.
    const total = profile.calls.reduce((s, c) => s + c.ms, 0);
    expect(Math.abs(total - profile.totalMs)).toBeLessThanOrEqual(1e-9 * Math.max(1, total));
    // Two profiles of the same work merge row by row: the same rows, twice the dispatches.
    const twice = mergeProfiles([profile, profile]);
    expect(twice.dispatches).toBe(6);
    expect(twice.calls.map((c) => [c.outputShape.join('x'), c.dispatches]).sort()).toEqual([
      ['64x48', 4],
      ['96x80', 2],
    ]);
    expect(twice.programs).toEqual([
      { name: profile.programs[0]!.name, dispatches: 6, ms: twice.totalMs },
    ]);
  });

  it("times dispatches at the timer's resolution, not in Dawn's 65.536 µs quantization steps", async () => {
    await init({ backend: 'webgpu' });
    const a = tf.randomNormal([256, 256]);
    await a.data();
    const profile = await profileDispatches(() =>
      tf.dispose([tf.matMul(a, a), tf.add(a, a), tf.mul(a, a), tf.matMul(a, tf.transpose(a))]),
    );
    tf.dispose(a);
    expect(profile.dispatches).toBeGreaterThanOrEqual(4);
    // Timestamps exist on this adapter (lavapipe has them): without this the check says nothing.
    expect(profile.totalMs).toBeGreaterThan(0);
    // Quantized, every duration is a whole number of steps (0.065536 ms); at full resolution
    // (the toggle init turns off in Node) four durations all landing on whole steps is ~never.
    const STEP_MS = 0.065536;
    const offGrid = profile.calls.filter((c) => {
      const steps = c.ms / STEP_MS;
      return Math.abs(steps - Math.round(steps)) > 1e-3;
    });
    expect(offGrid.length).toBeGreaterThan(0);
  });
});
