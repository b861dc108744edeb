import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTar, tarEnd, tarMember } from './tar';

function archive(members: [string, Uint8Array][]): Uint8Array {
  const parts = [...members.map(([n, d]) => tarMember(n, d)), tarEnd()];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const longName = `${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(70)}.png`;
const members: [string, Uint8Array][] = [
  ['id1/vid/00001/meta.json', new TextEncoder().encode('{"x":1}')],
  ['id1/vid/00001/empty.bin', new Uint8Array(0)],
  ['id1/vid/00001/block.bin', new Uint8Array(512).map((_, i) => i % 251)],
  [longName, new Uint8Array(1000).map((_, i) => (i * 7) % 256)],
];

describe('tar', () => {
  it('round-trips members, including empty, block-sized and long (prefix) names', () => {
    const parsed = parseTar(archive(members), 'mem');
    expect(parsed.map((m) => m.name)).toEqual(members.map(([n]) => n));
    for (const [i, m] of parsed.entries())
      expect(Array.from(m.data)).toEqual(Array.from(members[i]![1]));
  });

  it('pads every member to 512-byte blocks', () => {
    expect(tarMember('x', new Uint8Array(1)).length).toBe(1024);
    expect(tarMember('x', new Uint8Array(512)).length).toBe(1024);
    expect(tarMember('x', new Uint8Array(513)).length).toBe(1536);
  });

  it('is read by the system tar tool byte for byte (independent implementation)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'th-tar-'));
    writeFileSync(join(dir, 'a.tar'), archive(members));
    const listed = execFileSync('tar', ['tf', join(dir, 'a.tar')])
      .toString()
      .trim()
      .split('\n');
    expect(listed).toEqual(members.map(([n]) => n));
    execFileSync('tar', ['xf', 'a.tar'], { cwd: dir });
    expect(Array.from(readFileSync(join(dir, longName)))).toEqual(Array.from(members[3]![1]));
  });

  it('reads archives written by the system tar tool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'th-tar-'));
    writeFileSync(join(dir, 'f.txt'), 'hello tar');
    execFileSync('tar', ['--format=ustar', '-cf', 'b.tar', 'f.txt'], { cwd: dir });
    const parsed = parseTar(readFileSync(join(dir, 'b.tar')), 'b.tar');
    expect(parsed.map((m) => [m.name, new TextDecoder().decode(m.data)])).toEqual([
      ['f.txt', 'hello tar'],
    ]);
  });

  it('rejects a corrupt header and a truncated member, naming the source', () => {
    const bytes = archive(members);
    const bad = bytes.slice();
    bad[10] = bad[10]! ^ 0xff;
    expect(() => parseTar(bad, 'shard-x.tar')).toThrow(/shard-x.tar: corrupt tar header at byte 0/);
    expect(() => parseTar(bytes.slice(0, 1200), 'cut.tar')).toThrow(
      /cut.tar: truncated tar header at byte 1024/,
    );
    expect(() => parseTar(bytes.slice(0, 1024 + 512 + 600), 'cut2.tar')).toThrow(
      /cut2.tar: truncated tar member/,
    );
  });
});
