/**
 * Progress with examples/s and ETA: a redrawn bar on an interactive stderr, plain lines
 * (at most one every `plainEverySeconds`) when stderr is a file or pipe (CI logs).
 */
export class Progress {
  private lastPlain = 0;
  private readonly start = Date.now();

  constructor(
    private readonly total: number,
    private readonly startAt: number,
    private readonly startExamples: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEverySeconds = 30,
  ) {}

  update(done: number, examples: number, note = ''): void {
    const elapsed = (Date.now() - this.start) / 1000;
    const rate = elapsed > 0 ? (done - this.startAt) / elapsed : 0;
    const exampleRate = elapsed > 0 ? (examples - this.startExamples) / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : Number.NaN;
    const frac = Math.min(1, done / this.total);
    const stats = `${done}/${this.total} steps, ${examples} examples, ${exampleRate.toFixed(2)} examples/s, ETA ${formatSeconds(eta)}${note ? ` ${note}` : ''}`;
    if (this.stream.isTTY) {
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      this.stream.write(`\r[${bar}] ${stats}\x1b[K`);
      if (done >= this.total) this.stream.write('\n');
    } else if (done >= this.total || Date.now() - this.lastPlain >= this.plainEverySeconds * 1000) {
      this.lastPlain = Date.now();
      this.stream.write(`progress ${(frac * 100).toFixed(1)}% ${stats}\n`);
    }
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}
