import { describe, expect, it } from 'vitest';
import { prefetch } from './prefetch';

async function* counted(n: number, pulled: { count: number }): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    pulled.count++;
    await new Promise((r) => setTimeout(r, 1));
    yield i;
  }
}

describe('prefetch', () => {
  it('keeps order and reads `depth` items ahead of the consumer', async () => {
    const pulled = { count: 0 };
    const seen: number[] = [];
    for await (const v of prefetch(counted(10, pulled), 3)) {
      await new Promise((r) => setTimeout(r, 10)); // slow consumer: the producer fills the queue
      if (v === 0) expect(pulled.count).toBe(4); // item 0 + 3 ahead
      seen.push(v);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('passes errors of the source through', async () => {
    async function* failing() {
      yield 1;
      throw new Error('decode failed: x.png');
    }
    const got: number[] = [];
    await expect(async () => {
      for await (const v of prefetch(failing(), 2)) got.push(v);
    }).rejects.toThrow(/decode failed: x.png/);
    expect(got).toEqual([1]);
  });
});
