import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, resolveThreadCount } from './thread-count';

describe('resolveThreadCount', () => {
  it('defaults to every core, at least 1 and at most MAX_WASM_THREADS', () => {
    expect(resolveThreadCount(undefined, 2)).toBe(2);
    expect(resolveThreadCount(undefined, 0)).toBe(1);
    expect(resolveThreadCount(undefined, 128)).toBe(MAX_WASM_THREADS);
  });

  it('takes an explicit request over the core count', () => {
    expect(resolveThreadCount(1, 8)).toBe(1);
    expect(resolveThreadCount(4, 2)).toBe(4);
  });

  it('rejects a request that is not a positive integer, naming where it came from', () => {
    expect(() => resolveThreadCount(0, 2)).toThrow(
      'init option wasmThreads must be a positive integer, got 0',
    );
    expect(() => resolveThreadCount(1.5, 2)).toThrow(/positive integer, got 1.5/);
    expect(() => resolveThreadCount(Number('two'), 2, 'TH_WASM_THREADS')).toThrow(
      'TH_WASM_THREADS must be a positive integer, got NaN',
    );
  });
});
