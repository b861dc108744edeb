// Entry of the `th` binary (bundled to dist/cli.js with a shebang): run, then exit with the code.
import { releaseDawn } from '@th/backend';
import { cleanUpOnInterrupt } from '@th/data/node';
import { runCli } from './run-cli';

// Ctrl-C: unfinished videos are removed (their encoders stopped); completed outputs stay.
cleanUpOnInterrupt('th');

runCli(process.argv.slice(2)).then((code) => {
  releaseDawn(); // a WebGPU device would otherwise keep Node alive
  process.exit(code);
});
