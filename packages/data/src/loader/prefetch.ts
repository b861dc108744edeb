/**
 * Background prefetch: pull up to `depth` items ahead of the consumer from an async iterator, so
 * decoding the next examples overlaps with training on the current batch.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`prefetch: bad depth ${depth}`);
  const iterator = source[Symbol.asyncIterator]();
  if (depth === 0) {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
    return;
  }
  const queue: Promise<IteratorResult<T>>[] = [];
  // Requests are chained so the source sees one `next` at a time, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const request = () => {
    const p = chain.then(() => iterator.next());
    chain = p.catch(() => {});
    queue.push(p);
  };
  try {
    for (let i = 0; i < depth; i++) request();
    while (true) {
      const r = await queue.shift()!;
      if (r.done) return;
      request();
      yield r.value;
    }
  } finally {
    await iterator.return?.();
  }
}
