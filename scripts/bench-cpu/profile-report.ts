import type { CaseName, KernelProfile } from './th-cases';

/** Kernels listed per profiled call; the rest are summed into one line. */
const TOP = 15;

const CASE_TITLES: Record<CaseName, string> = {
  conv: 'conv, N4 64×64 64→64 3×3',
  train64: 'lsr-64 training step, batch 4, K 4, R1+R2',
  infer64: 'lsr-64 inference, batch 1',
  infer224: 'lsr-224 inference, batch 1',
};

/** One table per profiled call: the kernels taking the most time, their calls and share. */
export function profileMarkdown(
  header: string,
  runs: { case: CaseName; threads: number; profiles: KernelProfile[] }[],
): string {
  const out = ['# @th wasm: kernel time per tfjs kernel', '', header, ''];
  out.push(
    'Kernel times from `tf.profile` (each kernel timed on the calling thread, which waits for',
    "@th's worker threads); a kernel that runs other kernels through the engine includes their",
    'time. "outside kernels" is the wall time of the profiled call minus all kernel time',
    '(JavaScript: op wrappers, gradient bookkeeping, tensor management).',
    '',
  );
  for (const run of runs) {
    for (const p of run.profiles) {
      const call = run.profiles.length > 1 ? ` (${p.call})` : '';
      const title = `${CASE_TITLES[run.case]}${call}, ${run.threads} thread${run.threads === 1 ? '' : 's'}`;
      out.push(`## ${title}`, '');
      out.push(`Wall ${p.wall_ms.toFixed(1)} ms, kernels ${p.kernel_ms.toFixed(1)} ms.`, '');
      out.push('| kernel | calls | ms | share of wall |', '|---|---|---|---|');
      const share = (ms: number) => `${((100 * ms) / p.wall_ms).toFixed(1)} %`;
      for (const k of p.kernels.slice(0, TOP)) {
        out.push(`| ${k.name} | ${k.calls} | ${k.ms.toFixed(1)} | ${share(k.ms)} |`);
      }
      const rest = p.kernels.slice(TOP);
      if (rest.length) {
        const ms = rest.reduce((s, k) => s + k.ms, 0);
        const calls = rest.reduce((s, k) => s + k.calls, 0);
        out.push(`| ${rest.length} other kernels | ${calls} | ${ms.toFixed(1)} | ${share(ms)} |`);
      }
      const outside = Math.max(0, p.wall_ms - p.kernel_ms);
      out.push(`| outside kernels | | ${outside.toFixed(1)} | ${share(outside)} |`, '');
    }
  }
  return `${out.join('\n')}\n`;
}
