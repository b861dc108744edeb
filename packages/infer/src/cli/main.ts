// Entry of the `th` binary (bundled to dist/cli.js with a shebang): run, then exit with the code.
import { releaseDawn } from '@th/backend';
import { runCli } from './run-cli';

runCli(process.argv.slice(2)).then((code) => {
  releaseDawn(); // a WebGPU device would otherwise keep Node alive
  process.exit(code);
});
