#!/usr/bin/env node
// Bin entry of `th-data` (bundled as dist/cli.js).
import { cleanUpOnInterrupt } from '../io/temp-files.node-only';
import { runCli } from './th-data.node-only';

// Ctrl-C: the shard being written (a temp file) is removed; finished shards stay, and a rerun
// of the same command continues from them.
cleanUpOnInterrupt('th-data');

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
