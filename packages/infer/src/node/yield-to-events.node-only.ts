/**
 * Let Node's event loop run (signals, I/O callbacks) between frames. Synthesis and detection on
 * wasm/cpu complete through promises alone, so a long frame loop would otherwise never reach the
 * event loop: Ctrl-C would wait for the whole job.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
