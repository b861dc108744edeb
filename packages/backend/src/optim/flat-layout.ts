/**
 * Where each tensor of a list lives in one flat array: consecutive segments, each starting at a
 * multiple of `align` elements (64 float32 = 256 bytes, WebGPU's storage-binding offset
 * alignment, so any run of segments can be bound on its own).
 */
export class FlatLayout {
  private readonly offsets: number[];
  readonly total: number;

  constructor(
    private readonly sizes: readonly number[],
    readonly align = 64,
  ) {
    this.offsets = [];
    let at = 0;
    for (const size of sizes) {
      if (!Number.isInteger(size) || size < 0)
        throw new Error(`FlatLayout: sizes must be integers >= 0, got ${size}`);
      this.offsets.push(at);
      at += Math.ceil(size / align) * align;
    }
    this.total = Math.max(at, align);
  }

  get count(): number {
    return this.sizes.length;
  }

  offset(index: number): number {
    const o = this.offsets[index];
    if (o === undefined) throw new Error(`FlatLayout: no segment ${index} (have ${this.count})`);
    return o;
  }

  size(index: number): number {
    return this.sizes[index]!;
  }

  /**
   * Maximal runs of consecutive segments whose `active` flag is set, as [start, end) element
   * ranges of the flat array (gaps between segments inside a run are padding, zero everywhere).
   */
  activeRuns(active: readonly boolean[]): Array<[number, number]> {
    const runs: Array<[number, number]> = [];
    let start = -1;
    for (let i = 0; i <= this.count; i++) {
      const on = i < this.count && active[i] === true;
      if (on && start < 0) start = this.offsets[i]!;
      if (!on && start >= 0) {
        const last = i - 1;
        runs.push([start, this.offsets[last]! + this.sizes[last]!]);
        start = -1;
      }
    }
    return runs;
  }
}
