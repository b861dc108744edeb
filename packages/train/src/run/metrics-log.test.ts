import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunLog } from './metrics-log';

describe('RunLog', () => {
  it('writes lines in the order given, even when written without waiting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'th-runlog-'));
    const log = new RunLog(join(dir, 'log.txt'), () => {});
    for (let i = 0; i < 200; i++) log.write(`line ${i}`);
    expect(await log.flush()).toBe(0);
    const lines = (await readFile(join(dir, 'log.txt'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(
      Array.from({ length: 200 }, (_, i) => `line ${i}`),
    );
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a failed write once, keeps going, and counts the lost lines', async () => {
    const errors: string[] = [];
    const log = new RunLog('/nonexistent-folder/log.txt', (m) => errors.push(m));
    log.write('a');
    log.write('b');
    expect(await log.flush()).toBe(2); // no unhandled rejection: the run is not ended by it
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /\/nonexistent-folder\/log\.txt: cannot write the run log .*training goes on/,
    );
  });
});
