import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module reachable from the core entry (index.ts), following relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g))
      if (!spec!.endsWith('.json')) visit(join(file, '..', `${spec}.ts`));
  };
  visit(entry);
  return seen;
}

describe('the core entry runs in browsers', () => {
  it('imports nothing Node-only (node:*, @th/data/node, *.node-only files)', () => {
    const files = reachable(join(__dirname, 'index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (/from '(node:|@th\/data\/node|[^']*node-only)/.test(text) || f.includes('node-only'))
        offenders.push(relative(__dirname, f));
    }
    expect(offenders).toEqual([]);
  });

  it('Node-only files are named *.node-only.ts (so the rule above can see them)', () => {
    const dir = join(__dirname, 'node');
    const names = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(names.filter((f) => !f.includes('.node-only.')).length).toBe(0);
  });
});
