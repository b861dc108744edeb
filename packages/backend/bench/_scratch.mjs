import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
const req = createRequire(import.meta.url);
wasm.setWasmPaths(path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
await tf.setBackend('wasm'); await tf.ready();
const be = tf.backend();
const mm = tf.getKernel('BatchMatMul','wasm').kernelFunc;
function time(label, flop, fn, reps=5) {
  fn(); let best = 1e9;
  for (let i=0;i<reps;i++){ const t0=performance.now(); fn(); best=Math.min(best, performance.now()-t0);}
  console.log(label, best.toFixed(2),'ms', (flop/best/1e6).toFixed(1),'GFLOP/s');
}
const r = (s)=>tf.randomNormal(s);
for (const [m,k,n,ta,tb] of [[64,16384,64,false,false],[64,16384,64,true,false],[64,16384,576,false,false],[576,16384,64,true,false],[576,16384,64,false,false],[16384,576,64,false,false],[16384,64,576,false,true]]) {
  const a = r(ta?[k,m]:[m,k]), b = r(tb?[n,k]:[k,n]);
  time(`mm ${m}x${k}x${n} tA=${ta} tB=${tb}`, 2*m*k*n, ()=>{ const o = mm({inputs:{a,b},backend:be,attrs:{transposeA:ta,transposeB:tb}}); be.readSync(o.dataId); be.disposeData(o.dataId);});
}
const tr = tf.getKernel('Transpose','wasm').kernelFunc;
const x = r([16384,576]);
time('transpose 16384x576', 0, ()=>{const o=tr({inputs:{x},backend:be,attrs:{perm:[1,0]}}); be.disposeData(o.dataId);});
const xs = r([4,66,66,64]);
const sl = tf.getKernel('Slice','wasm').kernelFunc;
time('slice 4x64x64x64 of 66', 0, ()=>{const o=sl({inputs:{x:xs},backend:be,attrs:{begin:[0,1,1,0],size:[4,64,64,64]}}); be.disposeData(o.dataId);});
const xc = r([4,64,64,64]), w = r([3,3,64,64]);
time('conv fwd 4x64x64 64->64', 2*4*64*64*64*64*9, ()=>{const o=tf.conv2d(xc,w,1,'same'); o.dataSync(); o.dispose();});
