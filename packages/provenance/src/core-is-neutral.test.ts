import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module reachable from the neutral entry, following relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g))
      visit(join(file, '..', `${spec}.ts`));
  };
  visit(entry);
  return seen;
}

describe('the main entry runs in browsers', () => {
  it('imports nothing Node-only and no other package', () => {
    const files = reachable(join(__dirname, 'index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const offenders = [...files]
      .filter((f) => f.includes('node-only') || /from '(?!\.)/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(__dirname, f));
    expect(offenders).toEqual([]);
  });
});
