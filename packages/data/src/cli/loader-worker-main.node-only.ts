// Entry file of the loader's decode worker thread (bundled as dist/loader-worker.js).
import { startDecodeWorker } from '../loader/decode-pool.node-only';

startDecodeWorker();
