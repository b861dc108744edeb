/**
 * Node-only: a one-line progress bar on stderr. On a terminal it redraws in place; otherwise
 * (logs, CI, tests) it prints a line at each quarter so logs stay short.
 */
export interface Progress {
  tick(done: number, extra?: string): void;
  done(extra?: string): void;
}

/** Where progress goes: process.stderr by default, or any line sink. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function createProgress(
  label: string,
  total: number,
  stream: ProgressSink = process.stderr,
): Progress {
  const start = performance.now();
  let lastQuarter = -1;
  const line = (done: number, extra = '') => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const bar = '#'.repeat(Math.round(frac * 24)).padEnd(24, '.');
    const rate = done / Math.max(1e-3, (performance.now() - start) / 1000);
    return `${label} [${bar}] ${done}/${total} ${rate.toFixed(1)}/s${extra ? ` ${extra}` : ''}`;
  };
  return {
    tick(done, extra) {
      if (stream.isTTY) {
        stream.write(`\r${line(done, extra)}`);
        return;
      }
      const quarter = Math.floor((4 * done) / Math.max(1, total));
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        stream.write(`${line(done, extra)}\n`);
      }
    },
    done(extra) {
      stream.write(`${stream.isTTY ? '\r' : ''}${line(total, extra)}\n`);
    },
  };
}
