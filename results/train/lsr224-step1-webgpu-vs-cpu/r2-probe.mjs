// R2/R1 probe (diagnostic): the lsr-224 D (seed 3) on one fixed synthetic image ⊕ landmarks, penalties on argv[2]
// backend for each relative input noise in argv[3..]; STOCK=1 or STOCK=Conv2D,... puts tfjs-webgpu kernels back.
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { LsrModel, presetConfig } from '@th/models';
import { r1Penalty, r2Penalty } from '@th/train';
const backend = process.argv[2];
await init({ backend });
if (process.env.STOCK) { const { restoreStockWebGpuKernels } = await import('@th/backend'); console.log('stock restored:', restoreStockWebGpuKernels(process.env.STOCK === '1' ? undefined : process.env.STOCK.split(',')).join(',')); }
const model = new LsrModel(presetConfig('lsr-224'), { checkRange: false, discriminator: true }).initialize(3);
const d = (x) => model.discriminator.forward(tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 3]), tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 3]));
const n = 224 * 224 * 3;
const img = new Float32Array(n), lm = new Float32Array(n), noise = new Float32Array(n);
for (let i = 0; i < n; i++) { img[i] = 0.8 * Math.sin(i * 0.0137) * Math.cos(i * 0.00071); lm[i] = (i * 7919) % 97 < 3 ? 1 : -1; noise[i] = Math.sin(i * 12.9898) ; }
const L = tf.tensor4d(lm, [1, 224, 224, 3]);
const eps = process.argv.slice(3).map(Number);
for (const e of eps) {
  const x = tf.tensor4d(img.map((v, i) => v * (1 + e * noise[i])), [1, 224, 224, 3]);
  const t0 = performance.now();
  const r2 = (await r2Penalty(d, x, L).data())[0];
  const r1 = (await r1Penalty(d, x, L).data())[0];
  console.log(JSON.stringify({ backend, relNoise: e, r2, r1, s: ((performance.now() - t0) / 1000).toFixed(1) }));
}
