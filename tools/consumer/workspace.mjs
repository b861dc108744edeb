import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace packages that are published (not `private`), from the root's `workspaces`. */
export function publishedPackages(root) {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = [];
  for (const pattern of rootManifest.workspaces) {
    const parent = join(root, pattern.replace(/\/\*$/, ''));
    for (const entry of readdirSync(parent).sort()) {
      const file = join(parent, entry, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      if (!manifest.private) out.push({ name: manifest.name, dir: join(parent, entry), manifest });
    }
  }
  return out;
}

/** `name` and every published workspace package it depends on, directly or not. */
export function closure(name, packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n) || !byName.has(n)) return;
    seen.add(n);
    for (const dep of Object.keys(byName.get(n).manifest.dependencies ?? {})) visit(dep);
  };
  visit(name);
  return [...seen].sort();
}
