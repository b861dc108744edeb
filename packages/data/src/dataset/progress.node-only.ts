/**
 * Node-only: progress of a long job on stderr. On a TTY, one bar redrawn in place (at most 10
 * times a second); otherwise (logs, CI, Slurm output files) a plain line every `intervalMs`.
 * Throughput is frames per second since the start; ETA assumes the remaining units cost the mean
 * time of the finished ones.
 */

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  tick(frames: number, failed: boolean): void;
  finish(): void;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Text of one progress report (exported for tests). */
export function progressLine(
  done: number,
  total: number,
  frames: number,
  failed: number,
  elapsedS: number,
  barWidth = 0,
): string {
  const rate = elapsedS > 0 ? frames / elapsedS : 0;
  const eta = done > 0 ? (elapsedS / done) * (total - done) : Number.NaN;
  const pct = total > 0 ? (100 * done) / total : 100;
  const filled = Math.round((barWidth * done) / Math.max(total, 1));
  const bar = barWidth > 0 ? `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ` : '';
  return (
    `${bar}${done}/${total} utterances (${pct.toFixed(1)}%), ${failed} failed, ` +
    `${rate.toFixed(2)} frames/s, elapsed ${formatDuration(elapsedS)}, ETA ${formatDuration(eta)}`
  );
}

/** A sink that turns a long job's progress text into whole lines for `log` (redraws dropped). */
export function lineSink(log: (line: string) => void): ProgressSink {
  let pending = '';
  return {
    write(text: string) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim()) log(line.replace(/^.*\r/, ''));
      return true;
    },
  };
}

export function createProgress(total: number, sink: ProgressSink, intervalMs = 10_000): Progress {
  const start = Date.now();
  let done = 0;
  let frames = 0;
  let failed = 0;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    const every = sink.isTTY ? 100 : intervalMs;
    if (!force && now - lastDraw < every) return;
    lastDraw = now;
    const line = progressLine(
      done,
      total,
      frames,
      failed,
      (now - start) / 1000,
      sink.isTTY ? 30 : 0,
    );
    sink.write(sink.isTTY ? `\r${line}\x1b[K` : `progress: ${line}\n`);
  };
  return {
    tick(f, isFailure) {
      done++;
      frames += f;
      if (isFailure) failed++;
      draw(done === total);
    },
    finish() {
      if (sink.isTTY) sink.write('\n');
    },
  };
}
