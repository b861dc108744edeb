/**
 * GPU bytes held by @th's WebGPU runtime outside tfjs' buffer pool (the multi-tensor Adam's flat
 * buffers, captured inference graphs), so memory reports can add them to what tfjs holds.
 */
let held = 0;

export function trackRuntimeBytes(delta: number): void {
  held += delta;
}

/** Bytes of GPU memory the runtime holds beside tfjs' pool. */
export function runtimeBytes(): number {
  return held;
}
