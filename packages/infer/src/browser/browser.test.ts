import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

interface BrowserResult {
  error?: string;
  backend: string;
  hasProcess: boolean;
  tensors: number[];
  sizes: string[];
  checksum: number;
}

describe('the core in headless Chromium', () => {
  it('builds a subject and streams frames on lsr-64 with a constant tensor count', async () => {
    const bundle = await build({
      entryPoints: [`${__dirname}/browser-entry.ts`],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'error',
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const result = (await page.evaluate(
        () => (globalThis as { __thResult?: unknown }).__thResult,
      )) as BrowserResult;
      expect(errors).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.hasProcess).toBe(false); // really a browser, not a Node shim
      expect(result.backend).toBe('cpu');
      expect(result.sizes).toEqual(['64x64', '64x64', '64x64', '64x64']);
      expect(new Set(result.tensors).size).toBe(1);
      expect(result.checksum).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });
});
