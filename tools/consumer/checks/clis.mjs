import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus, sh } from '../shell.mjs';

/** [package, bin, subcommands whose --help must work] */
const CLIS = [
  ['@th/infer', 'th', ['reenact', 'detect', 'info']],
  ['@th/data', 'th-data', ['prepare', 'inspect', 'verify']],
  ['@th/trainer', 'th-train', []],
  ['@th/eval', 'th-eval', []],
];

/**
 * Every CLI from the consumer project (`npx --no-install`, so nothing is fetched from the
 * registry): `--help` on each command and subcommand exits 0 and prints usage on stdout;
 * `--version` prints the package's version; argument errors exit 2 at once.
 */
export function checkClis(app) {
  const done = [];
  const npx = (args) => sh('npx', ['--no-install', ...args], { cwd: app });
  for (const [pkg, bin, subcommands] of CLIS) {
    const { version } = JSON.parse(
      readFileSync(join(app, 'node_modules', pkg, 'package.json'), 'utf8'),
    );
    for (const args of [['--help'], ...subcommands.map((s) => [s, '--help'])]) {
      const run = expectStatus(npx([bin, ...args]), 0, `${bin} ${args.join(' ')}`);
      if (!/usage/i.test(run.stdout))
        throw new Error(`${bin} ${args.join(' ')}: no usage text on stdout:\n${run.stdout}`);
      done.push(`${bin} ${args.join(' ')}`);
    }
    const v = expectStatus(npx([bin, '--version']), 0, `${bin} --version`);
    if (v.stdout.trim() !== `${pkg} ${version}`)
      throw new Error(`${bin} --version: expected "${pkg} ${version}", got "${v.stdout.trim()}"`);
    done.push(`${bin} --version`);
  }
  const badOut = npx(['th', 'reenact', '--source', 'a.png', '--driver', 'b.mp4', '--out', 'o.avi']);
  expectStatus(badOut, 2, 'th reenact --out o.avi');
  if (!/--out/.test(badOut.stderr)) throw new Error(`th reenact --out o.avi:\n${badOut.stderr}`);
  done.push('th reenact --out o.avi -> 2');
  const info = expectStatus(npx(['th', 'info', 'bundled']), 0, 'th info bundled');
  const { bundledModel } = JSON.parse(
    readFileSync(join(app, 'node_modules/@th/infer/package.json'), 'utf8'),
  );
  if (!info.stdout.includes(`assets/${bundledModel}.safetensors`))
    throw new Error(`th info bundled does not name ${bundledModel}.safetensors:\n${info.stdout}`);
  done.push('th info bundled');
  return done.join('; ');
}
