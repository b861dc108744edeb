#!/usr/bin/env node
// Bin entry of `th-data` (bundled as dist/cli.js).
import { runCli } from './th-data.node-only';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
