#!/usr/bin/env node
// The consumer test: @th as a new user gets it from npm. Packs every published workspace package
// (`npm pack`), installs the tarballs into temporary projects OUTSIDE the workspace (third-party
// dependencies from the npm registry, or npm's cache when offline), and from there checks:
//   - install sizes against the budgets (@th/models + dependencies <= 80 MB; @th/infer with the
//     bundled model and the face-api landmark detector <= 200 MB), printed in a table;
//   - what the tarballs hold (no repository-only files; the bundled model without discriminator);
//   - optional peers missing -> the error names the package to install;
//   - the README examples marked `<!-- consumer-test -->`, as ESM and as CommonJS, compiled by a
//     strict `tsc` together with a small program over the public API (api.mts), then run;
//   - the CLIs: `--help` and `--version` of every command and subcommand, and a short
//     `th reenact` with the bundled model on the repository's fixture frames.
// Run after the build: `npm run consumer` (part of `npm run ci`). Prints each step's time.
//   node tools/consumer/run.mjs [--keep]   # --keep leaves the temporary folder for inspection
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBundledModel } from './checks/bundled-model.mjs';
import { checkClis } from './checks/clis.mjs';
import { checkReadmeExamples } from './checks/readme-examples.mjs';
import { checkReenact } from './checks/reenact.mjs';
import { checkTarballs } from './checks/tarballs.mjs';
import { createReport } from './report.mjs';
import { sh } from './shell.mjs';
import { BUDGETS, installedSize } from './sizes.mjs';
import { closure, publishedPackages } from './workspace.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const keep = process.argv.includes('--keep');
const report = createReport();
const work = mkdtempSync(join(tmpdir(), 'th-consumer-'));
const tarballDir = join(work, 'tarballs');
mkdirSync(tarballDir);

/** npm install in `dir`, failing loudly (the log names what npm could not get). */
function npmInstall(dir, extra = []) {
  const run = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...extra], {
    cwd: dir,
  });
  if (run.status !== 0)
    throw new Error(`npm install failed in ${dir}:\n${run.stderr.slice(-3000)}`);
}

/** A consumer project depending on the given packages' tarballs (their @th closure). */
function project(name, packages, tarballs) {
  const dir = join(work, name);
  mkdirSync(dir);
  const dependencies = Object.fromEntries(
    packages.map((p) => [p, `file:${join(tarballDir, tarballs.get(p))}`]),
  );
  const manifest = { name: `th-consumer-${name}`, private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

try {
  const packages = publishedPackages(ROOT);
  const tarballs = new Map();
  await report.step('npm pack every published package', () => {
    const run = sh(
      'npm',
      [
        'pack',
        '--json',
        '--pack-destination',
        tarballDir,
        ...packages.flatMap((p) => ['-w', p.name]),
      ],
      { cwd: ROOT },
    );
    if (run.status !== 0) throw new Error(`npm pack failed:\n${run.stderr.slice(-3000)}`);
    for (const packed of JSON.parse(run.stdout)) tarballs.set(packed.name, packed.filename);
    checkTarballs(JSON.parse(run.stdout), packages);
    return `${packages.length} packages: ${packages.map((p) => p.name).join(', ')}`;
  });

  // 1. @th/models alone: the size budget, and that it works with nothing optional installed.
  const models = project('models', closure('@th/models', packages), tarballs);
  await report.step('install @th/models (and its dependencies)', () => npmInstall(models));
  await report.step('size: @th/models + dependencies', () =>
    report.size('@th/models + dependencies', installedSize(models), BUDGETS.models),
  );
  await report.step('@th/models runs with nothing optional installed', () => {
    const script = `import { init } from '@th/backend';
import { LsrModel, presetConfig } from '@th/models';
import * as tf from '@tensorflow/tfjs-core';
const r = await init({ backend: 'auto' });
const model = new LsrModel(presetConfig('lsr-64')).initialize(0);
const shots = tf.zeros([1, 1, 64, 64, 3]);
const { image } = model.synthesize(model.encode(shots, shots), tf.zeros([1, 64, 64, 3]));
console.log(r.backend, image.shape.join('x'));
const webgpu = await init({ backend: 'webgpu' }).catch((e) => e.message);
console.log(webgpu);`;
    const run = sh(process.execPath, ['--input-type=module', '-e', script], { cwd: models });
    if (run.status !== 0) throw new Error(run.stderr);
    const [line, webgpu] = run.stdout.trim().split('\n');
    if (line !== 'wasm 1x64x64x3') throw new Error(`expected "wasm 1x64x64x3", got "${line}"`);
    if (!/needs the npm package webgpu, which is not installed: npm install webgpu@/.test(webgpu))
      throw new Error(`backend 'webgpu' without the package: unexpected message "${webgpu}"`);
    if (run.stderr.trim()) throw new Error(`auto printed on stderr:\n${run.stderr}`);
    return `auto -> wasm, quiet; webgpu: "${webgpu}"`;
  });

  // 2. @th/infer: the size budget without and with the landmark detector, then the CLI.
  const app = project('infer', closure('@th/infer', packages), tarballs);
  await report.step('install @th/infer (and its dependencies)', () => npmInstall(app));
  await report.step('size: @th/infer + dependencies, without the detector', () =>
    report.size('@th/infer + bundled model, no detector', installedSize(app), BUDGETS.infer),
  );
  await report.step('the installed bundled model holds inference weights only', () =>
    checkBundledModel(app),
  );
  await report.step('th reenact without face-api names the package to install', () =>
    checkReenact(app, ROOT, { expectMissingDetector: true }),
  );
  await report.step('install the landmark detector (@vladmandic/face-api)', () =>
    npmInstall(app, ['@vladmandic/face-api@1.7.15']),
  );
  await report.step('size: @th/infer + bundled model + face-api detector', () =>
    report.size('@th/infer + bundled model + detector', installedSize(app), BUDGETS.infer),
  );
  await report.step('th reenact with the bundled model', () => checkReenact(app, ROOT));

  // 3. Everything else, plus the compiler: README examples, the API program, every CLI.
  const manifestOf = () => JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  const writeManifest = (m) =>
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(m, null, 2)}\n`);
  await report.step('install the other packages', () => {
    const rest = packages
      .map((p) => p.name)
      .filter((n) => !closure('@th/infer', packages).includes(n));
    const manifest = manifestOf();
    for (const n of rest) manifest.dependencies[n] = `file:${join(tarballDir, tarballs.get(n))}`;
    writeManifest(manifest);
    npmInstall(app);
    return `added ${rest.join(', ')}`;
  });
  await report.step('size: every @th package + face-api (no budget)', () =>
    report.size('every @th package + face-api', installedSize(app), null),
  );
  await report.step('install typescript and @types/node (for the strict tsc check)', () => {
    const manifest = manifestOf();
    manifest.devDependencies = { typescript: '5.9.3', '@types/node': '^20.19.0' };
    writeManifest(manifest);
    npmInstall(app);
  });
  await report.step('README examples (ESM and CommonJS) and api.mts under strict tsc', () => {
    copyFileSync(new URL('./template/tsconfig.json', import.meta.url), join(app, 'tsconfig.json'));
    copyFileSync(new URL('./template/api.mts', import.meta.url), join(app, 'api.mts'));
    return checkReadmeExamples(app, ROOT, packages);
  });
  await report.step('CLIs: --help and --version on every command', () => checkClis(app));
} finally {
  if (keep) console.log(`consumer project kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(report.finish());
