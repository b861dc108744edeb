/**
 * Node-only: positioned reads of utterance byte ranges from shard files, keeping the few most
 * recently used shards open (the loader reads shard after shard, so one or two are enough).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { shardPath } from '../dataset/shard-writer.node-only';

export interface ShardReader {
  read(shard: string, offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function createShardReader(dataset: string, keepOpen = 4): ShardReader {
  const handles = new Map<string, Promise<FileHandle>>();
  const handleOf = (shard: string) => {
    let h = handles.get(shard);
    if (h) {
      handles.delete(shard); // re-insert: most recently used last
      handles.set(shard, h);
      return h;
    }
    const path = shardPath(dataset, shard);
    h = open(path, 'r').catch((e: Error) => {
      handles.delete(shard);
      throw new Error(`${path}: cannot open shard (${e.message})`);
    });
    handles.set(shard, h);
    while (handles.size > keepOpen) {
      const [oldest, handle] = handles.entries().next().value!;
      handles.delete(oldest);
      void handle.then((f) => f.close()).catch(() => {});
    }
    return h;
  };
  return {
    async read(shard, offset, length) {
      const file = await handleOf(shard);
      const bytes = new Uint8Array(length);
      const { bytesRead } = await file.read(bytes, 0, length, offset);
      if (bytesRead !== length)
        throw new Error(
          `${shardPath(dataset, shard)}: truncated: ${bytesRead} of ${length} bytes at offset ${offset}`,
        );
      return bytes;
    },
    async close() {
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map((h) => h.then((f) => f.close()).catch(() => {})));
    },
  };
}
