/** Steps with their time and outcome, install sizes against budgets, and the closing summary. */
export function createReport() {
  const steps = [];
  const sizes = [];
  const started = performance.now();
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  return {
    /** Run one check; its return value (a string) is printed as the detail. Never throws. */
    async step(name, fn) {
      const t0 = performance.now();
      process.stdout.write(`consumer: ${name} ...\n`);
      try {
        const detail = await fn();
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        steps.push({ name, ok: true, s });
        process.stdout.write(`  ok (${s} s)${typeof detail === 'string' ? `: ${detail}` : ''}\n`);
      } catch (err) {
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        steps.push({ name, ok: false, s });
        process.stdout.write(`  FAILED (${s} s): ${err instanceof Error ? err.message : err}\n`);
      }
    },
    /** Record a measured install size; fails the step when it is over budget (null: none). */
    size(label, { bytes, packages }, budget) {
      sizes.push({ label, bytes, packages, budget });
      const line = `${mb(bytes)} MB in ${packages} packages${budget ? ` (budget ${mb(budget)} MB)` : ''}`;
      if (budget && bytes > budget) throw new Error(`${label}: ${line}`);
      return line;
    },
    /** Print the sizes table and the summary; returns the exit code. */
    finish() {
      const total = ((performance.now() - started) / 1000).toFixed(1);
      const failed = steps.filter((s) => !s.ok);
      const out = ['', 'install sizes (apparent size of node_modules, MB = 10^6 bytes):'];
      for (const s of sizes) {
        const verdict = !s.budget
          ? '(no budget)'
          : `budget ${mb(s.budget)} MB  ${s.bytes <= s.budget ? 'within budget' : 'OVER BUDGET'}`;
        out.push(
          `  ${s.label.padEnd(40)} ${mb(s.bytes).padStart(7)} MB  ${String(s.packages).padStart(3)} packages  ${verdict}`,
        );
      }
      out.push(
        '',
        `consumer test: ${steps.length - failed.length}/${steps.length} steps passed in ${total} s`,
      );
      for (const f of failed) out.push(`  failed: ${f.name}`);
      process.stdout.write(`${out.join('\n')}\n`);
      return failed.length === 0 ? 0 : 1;
    },
  };
}
