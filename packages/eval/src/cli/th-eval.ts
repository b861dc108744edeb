// th-eval command-line entry (built as dist/th-eval.js with a node shebang). All logic lives in
// runThEval so that it can be tested without spawning a process; thEvalMain maps it to the exit
// status: 0 done, 1 failed (the message names the file or problem), 2 usage error, 130
// interrupted.
import { thEvalMain } from './th-eval-main';

Promise.resolve(thEvalMain(process.argv.slice(2))).then((code) => process.exit(code));
