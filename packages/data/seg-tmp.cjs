const {PNG}=require('pngjs');const fs=require('fs');
const f=process.argv[2];const b=fs.readFileSync(f);const p=PNG.sync.read(b);
console.log(p.width,p.height,'colorType',b[25],'bitDepth',b[24]);
const st={};for(let y=0;y<p.height;y++)for(let x=0;x<p.width;x++){const v=p.data[(y*p.width+x)*4];const s=st[v]||(st[v]={n:0,x:0,y:0,minY:1e9,maxY:0});s.n++;s.x+=x;s.y+=y;s.minY=Math.min(s.minY,y);s.maxY=Math.max(s.maxY,y);}
for(const k in st){const s=st[k];console.log(k,s.n,(s.x/s.n).toFixed(0),(s.y/s.n).toFixed(0),s.minY,s.maxY);}
// ascii map
const ch='.sNgLRlr<>mULH^e!nc';let out='';for(let y=0;y<p.height;y+=6){for(let x=0;x<p.width;x+=3)out+=ch[p.data[(y*p.width+x)*4]]||'?';out+='\n';}console.log(out);
