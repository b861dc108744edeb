import * as tf from '@tensorflow/tfjs-core';
import { init } from '../dist/index.js';
await init({backend:'wasm'});
const be = tf.backend();
const k = (n)=>tf.getKernel(n,'wasm').kernelFunc;
const [N,H,C,O]=[+process.argv[2]||4,+process.argv[3]||64,+process.argv[4]||64,+process.argv[5]||64];
const x = tf.randomNormal([N,H,H,C]), dy = tf.randomNormal([N,H,H,O]);
function windows(xT, rows, R, K, offsets) { // xT [rows, R] -> out [offsets.length*rows, K]
  const out = be.makeOutput([offsets.length*rows, K], 'float32');
  const src = be.typedArrayFromHeap(xT), dst = be.typedArrayFromHeap(out);
  let o = 0;
  for (const off of offsets) for (let r=0;r<rows;r++) { dst.set(src.subarray(r*R+off, r*R+off+K), o); o += K; }
  return out;
}
function run(variant) {
 const T={};
 const t=(label, fn)=>{ const t0=performance.now(); const o=fn(); T[label]=(T[label]??0)+performance.now()-t0; return o; };
 const Wq=H+2, R = N*(H+2)*(H+2), K=R;
 const xp = t('padx', ()=>k('PadV2')({inputs:{x},backend:be,attrs:{paddings:[[0,0],[1,1],[1,1],[0,0]],constantValue:0}}));
 const fp = t('padflat', ()=>k('PadV2')({inputs:{x:{dataId:xp.dataId, shape:[R, C], dtype:'float32'}},backend:be,attrs:{paddings:[[0,2*Wq+2],[0,0]],constantValue:0}}));
 const xT = t('transposeX', ()=>k('Transpose')({inputs:{x:fp},backend:be,attrs:{perm:[1,0]}}));
 const Rt = R + 2*Wq+2;
 const dg = t('padDy', ()=>k('PadV2')({inputs:{x:dy},backend:be,attrs:{paddings:[[0,0],[0,2],[0,2],[0,0]],constantValue:0}}));
 const dyK = {dataId:dg.dataId,shape:[K,O],dtype:'float32'};
 const offs=[]; for (let a=0;a<3;a++) for (let b=0;b<3;b++) offs.push(a*Wq+b);
 const tmp=[xp,fp,dg,xT];
 if (variant==='all') {
   const A = t('im2colT', ()=>windows(xT, C, Rt, K, offs));
   const m = t('matmul', ()=>k('BatchMatMul')({inputs:{a:A,b:dyK},backend:be,attrs:{transposeA:false,transposeB:false}}));
   be.readSync(m.dataId); tmp.push(A,m);
 } else {
   const outs=[];
   for (const off of offs) {
     const s = t('slice', ()=>windows(xT, C, Rt, K, [off]));
     const m = t('matmul', ()=>k('BatchMatMul')({inputs:{a:s,b:dyK},backend:be,attrs:{transposeA:false,transposeB:false}}));
     be.disposeData(s.dataId); outs.push(m);
   }
   const cc = t('concat', ()=>k('Concat')({inputs:outs.map(m=>({dataId:m.dataId,shape:[1,C,O],dtype:'float32'})),backend:be,attrs:{axis:0}}));
   be.readSync(cc.dataId); tmp.push(cc,...outs);
 }
 for (const o of tmp) be.disposeData(o.dataId);
 return T;
}
for (const v of ['all','pertap','all','pertap']) {
  run(v); const acc={}; const reps=5; const t0=performance.now();
  for (let i=0;i<reps;i++){ const T=run(v); for (const key in T) acc[key]=(acc[key]??0)+T[key]/reps; }
  console.log(v, 'total', ((performance.now()-t0)/reps).toFixed(1), Object.entries(acc).map(([a,b])=>`${a} ${b.toFixed(1)}`).join(' '));
}
const w = tf.randomNormal([3,3,C,O]);
for (let i=0;i<3;i++){ const t0=performance.now(); const o=tf.conv2d(x,w,1,'same'); o.dataSync(); o.dispose(); console.log('fwd', (performance.now()-t0).toFixed(1)); }
