import { describe, expect, it } from 'vitest';
import { parseShardFlag, planShards, resolveJobSlot, shardsOfJob } from './shard-plan';

describe('job slots', () => {
  it('parses --shard i/n and rejects bad values', () => {
    expect(parseShardFlag('2/5')).toMatchObject({ index: 2, count: 5 });
    expect(() => parseShardFlag('5/5')).toThrow(/job index 5 not in 0..4/);
    expect(() => parseShardFlag('1-4')).toThrow(/expected i\/n/);
  });

  it('reads Slurm array variables, offset by the array minimum', () => {
    const env = {
      SLURM_ARRAY_TASK_ID: '7',
      SLURM_ARRAY_TASK_MIN: '5',
      SLURM_ARRAY_TASK_COUNT: '4',
    };
    expect(resolveJobSlot(undefined, env)).toMatchObject({
      index: 2,
      count: 4,
      from: 'SLURM_ARRAY_TASK_ID',
    });
  });

  it('reads Kubernetes indexed jobs with the count from a flag or env, and the flag wins', () => {
    expect(resolveJobSlot(undefined, { JOB_COMPLETION_INDEX: '3' }, 8)).toMatchObject({
      index: 3,
      count: 8,
    });
    expect(
      resolveJobSlot(undefined, { JOB_COMPLETION_INDEX: '1', TH_DATA_JOB_COUNT: '2' }),
    ).toMatchObject({
      index: 1,
      count: 2,
    });
    expect(() => resolveJobSlot(undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/job count/);
    expect(
      resolveJobSlot('0/2', { JOB_COMPLETION_INDEX: '1', TH_DATA_JOB_COUNT: '2' }),
    ).toMatchObject({ index: 0 });
    expect(resolveJobSlot(undefined, {})).toMatchObject({ index: 0, count: 1 });
  });
});

describe('shard plan', () => {
  it('groups consecutive units and gives every shard to exactly one job', () => {
    const units = Array.from({ length: 23 }, (_, i) => i);
    const shards = planShards(units, 5);
    expect(shards.map((s) => s.length)).toEqual([5, 5, 5, 5, 3]);
    expect(shards.flat()).toEqual(units);
    const owned = [0, 1, 2].flatMap((index) =>
      shardsOfJob(shards.length, { index, count: 3, from: 't' }),
    );
    expect(owned.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => planShards(units, 0)).toThrow(/shard size/);
  });
});
