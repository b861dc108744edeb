import { spawnSync } from 'node:child_process';

/** Run a command; returns {status, stdout, stderr}; never throws on a non-zero exit. */
export function sh(command, args, options = {}) {
  const run = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** Fails with the command's output unless it exited with `status`. */
export function expectStatus(run, status, what) {
  if (run.status !== status) {
    throw new Error(
      `${what}: exit status ${run.status}, expected ${status}\n--- stdout\n${run.stdout.slice(-2000)}\n--- stderr\n${run.stderr.slice(-2000)}`,
    );
  }
  return run;
}
