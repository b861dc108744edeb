/**
 * `auto` asks Dawn for an adapter in a child process, so that the Vulkan/Dawn warnings printed on
 * machines without a usable GPU never reach the user's terminal; the reason goes into the report.
 * Runs the built package in a fresh Node process, as a CLI would, and reads its real stderr.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeDawnAdapter } from './dawn-probe';

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function autoInit(env: Record<string, string>) {
  const script = `const { init } = await import(${JSON.stringify(DIST)});
const r = await init({ backend: 'auto' });
console.log(JSON.stringify(r));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(run.status, run.stderr).toBe(0);
  return { report: JSON.parse(run.stdout), stderr: run.stderr };
}

describe('quiet WebGPU probing under auto', () => {
  it('no Vulkan driver at all: webgpu skipped with the reason, nothing on stderr', () => {
    const { report, stderr } = autoInit({ VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    const webgpu = report.skipped.find((s: { backend: string }) => s.backend === 'webgpu');
    expect(webgpu.reason).toMatch(/^WebGPU found no adapter \(no usable GPU driver\)/);
    expect(report.backend).toBe('wasm');
    expect(stderr).toBe('');
  });

  it('only a software adapter (lavapipe here): skipped as software, nothing on stderr', () => {
    const { report, stderr } = autoInit({});
    const webgpu = report.skipped.find((s: { backend: string }) => s.backend === 'webgpu');
    expect(webgpu.reason).toMatch(/software renderer \(.*llvmpipe/);
    expect(stderr).toBe('');
  });

  it('the probe reports the adapter Dawn offers', async () => {
    const probe = await probeDawnAdapter([]);
    expect(probe.problem).toBeNull();
    expect(probe.adapter?.info?.description).toMatch(/llvmpipe/);
  });
});
