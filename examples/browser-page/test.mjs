// Serve dist/ on localhost, open it in headless Chromium, wait for the frame, check the output
// canvas is a real image (not blank) and that the page requested nothing from other origins.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';

const dist = new URL('./dist/', import.meta.url).pathname;
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};
const server = createServer((req, res) => {
  const path = join(dist, new URL(req.url, 'http://x').pathname.replace(/^\/$/, '/index.html'));
  let body;
  try {
    body = readFileSync(path);
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
  res.end(body);
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
let failed = false;
try {
  const page = await browser.newPage();
  const foreign = [];
  page.on('request', (r) => !r.url().startsWith(origin) && foreign.push(r.url()));
  await page.goto(`${origin}/`);
  const done = await (
    await page.waitForFunction(() => window.__thDone, null, { timeout: 120_000 })
  ).jsonValue();
  const status = await page.locator('#status').textContent();
  const stats = await page.evaluate(() => {
    const d = document.getElementById('output').getContext('2d').getImageData(0, 0, 256, 256).data;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < d.length; i += 4) {
      sum += d[i];
      sq += d[i] * d[i];
    }
    const n = d.length / 4;
    return { mean: sum / n, std: Math.sqrt(sq / n - (sum / n) ** 2) };
  });
  console.log(status, stats);
  if (!done.ok) throw new Error(done.error);
  if (!(stats.std > 5)) throw new Error(`output canvas looks blank (std ${stats.std})`);
  if (foreign.length) throw new Error(`requests to other origins: ${foreign.join(', ')}`);
  console.log('1 passed, 0 failed');
} catch (err) {
  console.error(err.message);
  failed = true;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
