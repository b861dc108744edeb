// Entry of the `th` binary (bundled to dist/cli.js with a shebang): run, then exit with the code.
import { releaseDawn } from '@th/backend';
import { removeTempOutputs } from '../node/frame-writers.node-only';
import { runCli } from './run-cli';

// Ctrl-C (or a kill): remove the temp files of videos still being encoded (ffmpeg, in the same
// process group, stops too); outputs already completed were renamed into place and stay.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    const removed = removeTempOutputs();
    process.stderr.write(
      `\nth: interrupted${removed.length ? `; removed ${removed.length} unfinished output(s)` : ''}\n`,
    );
    process.exit(code);
  });
}

runCli(process.argv.slice(2)).then((code) => {
  releaseDawn(); // a WebGPU device would otherwise keep Node alive
  process.exit(code);
});
