import { simdKernelSuite } from './simd-kernel-suite';
import { winogradSuite } from './winograd-suite';

// tfjs' ordinary wasm build: @th's kernels on a heap that is not shared, on the calling thread
// only (the path browsers take).
simdKernelSuite(1);
winogradSuite(1);
