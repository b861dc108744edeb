// th-eval command-line entry (built as dist/th-eval.js with a node shebang). All logic lives in
// runThEval so that it can be tested without spawning a process.
import { runThEval } from './th-eval-run';

runThEval(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
