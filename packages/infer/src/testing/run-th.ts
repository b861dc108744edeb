/** Test helper: runs the `th` CLI in-process and captures its exit code and output. */
import type { LandmarkDetector } from '@th/data';
import { runCli } from '../cli/run-cli';

export async function th(
  args: string[],
  detector?: LandmarkDetector,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    detector,
  });
  return { code, stdout, stderr };
}
