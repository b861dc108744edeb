// Entry file of the prepare worker thread (bundled as dist/prepare-worker.js).
import { startPrepareWorker } from '../dataset/prepare-worker.node-only';

startPrepareWorker();
