/**
 * Node-only: write one shard. Utterances are appended to a temp file while a SHA-256 is kept
 * running; `finish` ends the tar, renames the temp file into place, then writes the done record
 * (also temp + rename). A crash before the record exists leaves only a temp file or an
 * unrecorded shard, both of which the next run redoes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../image/image-files.node-only';
import { trackTempFile } from '../io/temp-files.node-only';
import type { FailureRecord, ManifestEntry, ShardRecord } from './format';
import { FORMAT_VERSION } from './format';
import { tarEnd } from './tar';
import type { UnitEntry } from './utterance-record';

export function shardPath(out: string, name: string): string {
  return join(out, 'shards', `${name}.tar`);
}

export function donePath(out: string, name: string): string {
  return join(out, 'done', `${name}.json`);
}

export class ShardWriter {
  private readonly hash = createHash('sha256');
  private readonly entries: ManifestEntry[] = [];
  private readonly failures: FailureRecord[] = [];
  private offset = 0;

  private constructor(
    private readonly out: string,
    private readonly name: string,
    private readonly units: string[],
    private readonly settings: string,
    private readonly temp: string,
    private readonly file: FileHandle,
    private readonly untrack = trackTempFile(temp),
  ) {}

  static async open(
    out: string,
    name: string,
    units: string[],
    settings: string,
  ): Promise<ShardWriter> {
    await mkdir(join(out, 'shards'), { recursive: true });
    await mkdir(join(out, 'done'), { recursive: true });
    const temp = `${shardPath(out, name)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    return new ShardWriter(out, name, units, settings, temp, await open(temp, 'w'));
  }

  private async append(bytes: Uint8Array): Promise<void> {
    await this.file.write(bytes);
    this.hash.update(bytes);
    this.offset += bytes.length;
  }

  async addUtterance(entry: UnitEntry, bytes: Uint8Array): Promise<void> {
    this.entries.push({ ...entry, shard: this.name, offset: this.offset, length: bytes.length });
    await this.append(bytes);
  }

  addFailure(failure: FailureRecord): void {
    this.failures.push(failure);
  }

  async finish(): Promise<ShardRecord> {
    await this.append(tarEnd());
    await this.file.sync();
    await this.file.close();
    await rename(this.temp, shardPath(this.out, this.name));
    this.untrack();
    const record: ShardRecord = {
      format: FORMAT_VERSION,
      shard: this.name,
      units: this.units,
      settings: this.settings,
      sha256: this.hash.digest('hex'),
      bytes: this.offset,
      entries: this.entries,
      failures: this.failures,
    };
    await writeFileAtomic(
      donePath(this.out, this.name),
      new TextEncoder().encode(`${JSON.stringify(record)}\n`),
    );
    return record;
  }

  /** Drop the temp file (on abort). */
  async abort(): Promise<void> {
    await this.file.close().catch(() => {});
    await rm(this.temp, { force: true });
    this.untrack();
  }
}
