import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import type { BackendName } from '../backends/types';
import { describeBackends, testBackends } from '../testing/describe-backends';
import { checkGradient, checkNestedGradient } from '../testing/gradient-check';
import { createRng } from '../util/rng';
import { nonlinearCases } from './cases-nonlinear';
import { spatialCases } from './cases-spatial';
import { tensorCases } from './cases-tensor';
import type { OpCase } from './op-case';
import { type ConformanceResults, formatTable, writeConformance } from './report';

/** float32 finite differences resolve ~1e-5..1e-4 relative here; this leaves a >= 10x margin. */
const TOLERANCE = { first: 1e-3, second: 1e-3 };
const results: ConformanceResults = new Map();

function allCases(): OpCase[] {
  const rng = createRng(2021);
  return [...tensorCases(rng), ...nonlinearCases(rng), ...spatialCases(rng)];
}

describeBackends('gradient conformance vs finite differences', (backend: BackendName) => {
  it('every op: first and nested gradients match finite differences', async () => {
    const failures: string[] = [];
    for (const c of allCases()) {
      if (c.backends && !c.backends.includes(backend)) {
        tf.dispose(c.inputs);
        continue;
      }
      const before = tf.memory().numTensors;
      const first = (await checkGradient(c.f, c.inputs)).relError;
      const second = (await checkNestedGradient(c.f, c.inputs)).relError;
      const row = c.knownWrong ? `${c.name} (KNOWN tfjs BUG: wrong ${c.knownWrong} order)` : c.name;
      if (!results.has(row)) results.set(row, new Map());
      results.get(row)?.set(backend, { first, second });
      const firstOk = first < TOLERANCE.first;
      const secondOk = second < TOLERANCE.second;
      if (c.knownWrong === 'first' && firstOk)
        failures.push(`${c.name}: known-wrong 1st order now passes (${first})`);
      if (c.knownWrong === 'second' && (!firstOk || secondOk))
        failures.push(`${c.name}: expected right 1st, wrong 2nd order, got ${first}, ${second}`);
      if (!c.knownWrong && !firstOk) failures.push(`${c.name}: 1st-order rel. error ${first}`);
      if (!c.knownWrong && !secondOk) failures.push(`${c.name}: 2nd-order rel. error ${second}`);
      if (tf.memory().numTensors !== before)
        failures.push(`${c.name}: leaked ${tf.memory().numTensors - before} tensors`);
      tf.dispose(c.inputs);
    }
    expect(failures).toEqual([]);
  });
});

afterAll(() => {
  const table = formatTable(results, testBackends());
  console.log(`\n${table}\n`);
  if (process.env.TH_WRITE_CONFORMANCE === '1') {
    const path = new URL('../../CONFORMANCE.md', import.meta.url);
    writeConformance(path, results, testBackends(), TOLERANCE);
  }
});
