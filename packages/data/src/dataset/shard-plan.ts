/**
 * Splitting the work: units (utterances) → shards of `perShard` consecutive units in sorted key
 * order, and shards → jobs round-robin (shard s goes to job s mod n). Both are pure functions of
 * the sorted unit list, so every machine of an array job computes the same plan independently.
 */

export interface JobSlot {
  /** 0-based index of this job */
  index: number;
  /** number of jobs */
  count: number;
  /** where the slot came from, for the log */
  from: string;
}

function checkSlot(index: number, count: number, from: string): JobSlot {
  if (!Number.isInteger(count) || count < 1) throw new Error(`${from}: bad job count ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${from}: job index ${index} not in 0..${count - 1}`);
  }
  return { index, count, from };
}

/** Parse `--shard i/n` (0-based i). */
export function parseShardFlag(text: string): JobSlot {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--shard: expected i/n (e.g. 0/4), got "${text}"`);
  return checkSlot(Number(match[1]), Number(match[2]), '--shard');
}

/**
 * The job slot: the `--shard` flag if given; else a Slurm array task
 * (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT); else a Kubernetes
 * indexed job (JOB_COMPLETION_INDEX, count from `countFlag` or TH_DATA_JOB_COUNT); else 0/1.
 */
export function resolveJobSlot(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  countFlag?: number,
): JobSlot {
  if (flag !== undefined) return parseShardFlag(flag);
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const count = countFlag ?? Number(env.SLURM_ARRAY_TASK_COUNT);
    return checkSlot(Number(env.SLURM_ARRAY_TASK_ID) - min, count, 'SLURM_ARRAY_TASK_ID');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const count = countFlag ?? Number(env.TH_DATA_JOB_COUNT);
    if (!Number.isFinite(count)) {
      throw new Error(
        'JOB_COMPLETION_INDEX is set: give the job count with --jobs or TH_DATA_JOB_COUNT',
      );
    }
    return checkSlot(Number(env.JOB_COMPLETION_INDEX), count, 'JOB_COMPLETION_INDEX');
  }
  return { index: 0, count: 1, from: 'default' };
}

/** Consecutive groups of `perShard` items (the last may be shorter). */
export function planShards<T>(units: readonly T[], perShard: number): T[][] {
  if (!Number.isInteger(perShard) || perShard < 1) {
    throw new Error(`shard size must be a positive integer, got ${perShard}`);
  }
  const shards: T[][] = [];
  for (let i = 0; i < units.length; i += perShard) shards.push(units.slice(i, i + perShard));
  return shards;
}

/** Shard indices this job owns. */
export function shardsOfJob(shardCount: number, slot: JobSlot): number[] {
  const mine: number[] = [];
  for (let s = slot.index; s < shardCount; s += slot.count) mine.push(s);
  return mine;
}
