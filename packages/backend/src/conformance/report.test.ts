import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConformanceResults, parseTable, writeConformance } from './report';

const tolerance = { first: 1e-3, second: 1e-3 };
const row = (entries: [string, number, number][]) =>
  new Map(entries.map(([b, first, second]) => [b, { first, second }]));

describe('writeConformance', () => {
  it("a run on some backends keeps the other backends' columns", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'th-conf-')), 'CONFORMANCE.md');
    const cpuWasm: ConformanceResults = new Map([
      [
        'matMul',
        row([
          ['cpu', 1e-6, 2e-6],
          ['wasm', 3e-6, 4e-6],
        ]),
      ],
      ['tf.depthwiseConv2d', row([['cpu', 5e-6, 6e-6]])],
    ]);
    writeConformance(path, cpuWasm, ['cpu', 'wasm'], tolerance);
    const webgpu: ConformanceResults = new Map([['matMul', row([['webgpu', 7e-6, 8e-6]])]]);
    writeConformance(path, webgpu, ['webgpu'], tolerance);
    const { results, backends } = parseTable(readFileSync(path, 'utf8'));
    expect(backends).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(results.get('matMul')?.get('wasm')).toEqual({ first: 3e-6, second: 4e-6 });
    expect(results.get('matMul')?.get('webgpu')).toEqual({ first: 7e-6, second: 8e-6 });
    expect(results.get('tf.depthwiseConv2d')?.get('cpu')?.first).toBe(5e-6);
    expect(results.get('tf.depthwiseConv2d')?.get('webgpu')?.first).toBeNaN();
  });
});
