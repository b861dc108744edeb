import { simdKernelSuite } from './simd-kernel-suite';

// tfjs' ordinary wasm build: @th's kernels on a heap that is not shared, on the calling thread
// only (the path browsers take).
simdKernelSuite(1);
