import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus, sh } from '../shell.mjs';

/** README code blocks marked for this test: the line `<!-- consumer-test -->` just before them. */
export function markedExamples(readme) {
  const blocks = [];
  const pattern = /<!-- consumer-test -->\s*\n```(?:ts|typescript|js|javascript)\n([\s\S]*?)\n```/g;
  for (const match of readme.matchAll(pattern)) blocks.push(match[1]);
  return blocks;
}

/**
 * The same example as CommonJS: its imports stay at the top (tsc turns them into `require`), the
 * rest runs inside an async function, since CommonJS has no top-level await.
 */
export function asCommonJs(code) {
  const imports = [];
  const body = code.replace(/^import\s[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*$/gm, (statement) => {
    imports.push(statement);
    return '';
  });
  return `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body}\n}\n\nmain().catch((err) => {\n  console.error(err);\n  process.exitCode = 1;\n});\n`;
}

/**
 * Writes every marked README example of every package as `readme/<pkg>-<n>.mts` (ESM) and `.cts`
 * (CommonJS), compiles them with api.mts under the project's strict tsconfig, runs each and checks
 * that both module systems print the same.
 */
export function checkReadmeExamples(app, root, packages) {
  const dir = join(app, 'readme');
  mkdirSync(dir, { recursive: true });
  const examples = [];
  for (const p of packages) {
    const blocks = markedExamples(readFileSync(join(p.dir, 'README.md'), 'utf8'));
    blocks.forEach((code, i) => {
      const base = `${p.name.replace('@th/', '')}-${i + 1}`;
      writeFileSync(join(dir, `${base}.mts`), `${code}\n`);
      writeFileSync(join(dir, `${base}.cts`), asCommonJs(code));
      examples.push(base);
    });
  }
  if (examples.length === 0) throw new Error('no README example is marked <!-- consumer-test -->');
  const tsc = sh('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], { cwd: app });
  expectStatus(tsc, 0, 'tsc --strict over the README examples and api.mts');
  const env = { TH_FIXTURES: join(root, 'fixtures/voxceleb2') };
  for (const base of examples) {
    const esm = expectStatus(
      sh(process.execPath, [`out/readme/${base}.mjs`], { cwd: app, env }),
      0,
      `${base} (ESM)`,
    );
    const cjs = expectStatus(
      sh(process.execPath, [`out/readme/${base}.cjs`], { cwd: app, env }),
      0,
      `${base} (CommonJS)`,
    );
    if (esm.stdout !== cjs.stdout) {
      throw new Error(
        `${base}: ESM and CommonJS print differently:\n${esm.stdout}\n---\n${cjs.stdout}`,
      );
    }
  }
  const api = expectStatus(sh(process.execPath, ['out/api.mjs'], { cwd: app, env }), 0, 'api.mts');
  return `${examples.length} examples (${examples.join(', ')}) x ESM + CommonJS; api.mts: ${api.stdout.trim()}`;
}
