/**
 * Node-only: the temporary files being written right now (atomic writes, shards, encoded videos),
 * so that a command line interrupted by Ctrl-C removes them. Completed outputs were renamed into
 * place and are never touched.
 */
import { rmSync } from 'node:fs';

/** temp path → what stops its writer first (e.g. kill the encoder that would finish it) */
const live = new Map<string, (() => void) | undefined>();

/** Record a temp file while it is written; call the returned function once it is renamed or removed. */
export function trackTempFile(path: string, stopWriter?: () => void): () => void {
  live.set(path, stopWriter);
  return () => {
    live.delete(path);
  };
}

/** Stop the writers of every tracked temp file and remove the files (synchronous). */
export function removeTempFiles(): string[] {
  const removed = [...live.keys()];
  for (const [path, stop] of live) {
    try {
      stop?.();
    } catch {
      // the writer is gone already
    }
    rmSync(path, { force: true });
  }
  live.clear();
  return removed;
}

/**
 * For a command line: on Ctrl-C (SIGINT) or SIGTERM remove the temp files, say so on stderr and
 * exit 130 / 143. Long loops must reach the event loop now and then for the signal to be handled.
 */
export function cleanUpOnInterrupt(program: string): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      const removed = removeTempFiles();
      process.stderr.write(
        `\n${program}: interrupted${removed.length ? `; removed ${removed.length} unfinished file(s)` : ''}\n`,
      );
      process.exit(code);
    });
  }
}
