import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LPIPS_TENSORS } from '../lpips/lpips-weights';
import { loadNetworkMetrics } from './network-metrics.node-only';
import { arraysToSafetensors, deterministicArrays } from './testing-weights';

describe('loadNetworkMetrics (th-eval wiring)', () => {
  it('reports each metric without weights as not run, saying what to supply', async () => {
    const networks = await loadNetworkMetrics({ fidWeights: ' ' });
    expect(networks.lpips).toBeUndefined();
    expect(networks.fid).toBeUndefined();
    expect(networks.notRun.lpips).toMatch(/convert-lpips\.py.*--lpips-weights/);
    expect(networks.notRun.fid).toMatch(/convert-fid-inception\.py.*--fid-weights/);
  });

  it('loads LPIPS from a file and fails early, naming the file, on a bad FID file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'networks-'));
    const lpipsFile = join(dir, 'lpips.safetensors');
    writeFileSync(lpipsFile, arraysToSafetensors(deterministicArrays(LPIPS_TENSORS)));
    const lines: string[] = [];
    const networks = await loadNetworkMetrics(
      { lpipsWeights: lpipsFile },
      { backend: 'wasm', log: (l) => lines.push(l) },
    );
    expect(networks.lpips?.name).toBe('LPIPS v0.1 (alex, lin)');
    expect(networks.notRun.lpips).toBeUndefined();
    expect(lines.join('\n')).toMatch(/tfjs wasm backend/);
    networks.dispose();
    await expect(
      loadNetworkMetrics({ lpipsWeights: lpipsFile, fidWeights: lpipsFile }, { backend: 'wasm' }),
    ).rejects.toThrow(/lpips\.safetensors: 470 of the 470 tensors FID needs are missing/);
  });
});
