import { importOptional } from '../util/environment';
import type { AdapterLike } from './webgpu';

export interface DawnProbe {
  /** The adapter Dawn offers (its identifying fields), or null. */
  adapter: AdapterLike | null;
  /** Why WebGPU cannot run here (no adapter, Dawn failed), with Dawn's first message; else null. */
  problem: string | null;
}

// Runs in the child: asks Dawn for the adapter tfjs-webgpu would take and prints its fields as
// JSON on stdout; Dawn's own warnings go to the child's stderr.
const CHILD = `
const [dawnPath, options] = process.argv.slice(1);
const { create } = require(dawnPath);
create(JSON.parse(options)).requestAdapter({ powerPreference: 'high-performance' }).then(
  (a) => {
    const info = a && a.info ? a.info : {};
    const pick = { vendor: info.vendor, architecture: info.architecture, device: info.device,
      description: info.description, isFallbackAdapter: info.isFallbackAdapter };
    process.stdout.write(JSON.stringify(a ? { info: pick, isFallbackAdapter: a.isFallbackAdapter } : null));
    process.exit(0);
  },
  (e) => { process.stdout.write(JSON.stringify({ error: String(e && e.message || e) })); process.exit(0); },
);`;

/** First line of Dawn's stderr that says something (skips blank and "at ..." stack lines). */
function firstMessage(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at '));
  return line ? `: ${line.replace(/^Warning:\s*/, '').slice(0, 200)}` : '';
}

/**
 * Ask Dawn (the optional `webgpu` package) for an adapter in a child Node process, so that the
 * Vulkan/Dawn warnings printed on machines without a usable GPU stay out of this process' stderr.
 * Costs one short-lived process (~0.3 s); used by `auto` only.
 */
export async function probeDawnAdapter(dawnOptions: readonly string[]): Promise<DawnProbe> {
  const { createRequire } = await importOptional<typeof import('node:module')>('node:module');
  const { spawnSync } =
    await importOptional<typeof import('node:child_process')>('node:child_process');
  const base = typeof __filename === 'string' ? __filename : import.meta.url;
  const dawnPath = createRequire(base).resolve('webgpu');
  const run = spawnSync(process.execPath, ['-e', CHILD, dawnPath, JSON.stringify(dawnOptions)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const stderr = run.stderr ?? '';
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : `exit status ${run.status ?? run.signal}`;
    return {
      adapter: null,
      problem: `the WebGPU probe (Dawn) failed (${why})${firstMessage(stderr)}`,
    };
  }
  let answer: (AdapterLike & { error?: string }) | null;
  try {
    answer = JSON.parse(run.stdout);
  } catch {
    return {
      adapter: null,
      problem: `the WebGPU probe (Dawn) printed no answer${firstMessage(stderr)}`,
    };
  }
  if (answer?.error) return { adapter: null, problem: `Dawn failed: ${answer.error}` };
  if (!answer) {
    return {
      adapter: null,
      problem: `WebGPU found no adapter (no usable GPU driver)${firstMessage(stderr)}`,
    };
  }
  return { adapter: answer, problem: null };
}
