// th-train for the GPU machine (no node_modules there): brings WebGPU up with the tfjs webgpu
// backend bundled in (`webgpuModule`), then runs the CLI unchanged with the given arguments.
// The device is created for mixed precision (its f16 toggles), so either --precision works;
// the CLI's own init then sets the precision it asks for. Bundle with
//   node tools/device/bundle.mjs tools/device/th-train-entry.ts trainer
// and run `node .device/trainer.mjs <th-train arguments> --backend webgpu`. The loader's decode
// worker is a separate entry: bundle it beside this one as loader-worker.mjs (campaign.sh stage
// does), or pass --loader-workers 0. The bundle is
// not named th-train: the CLI runs itself when its file name says so.
import { init } from '@th/backend';
import { main } from '../../apps/trainer/src/cli';

await init({
  backend: 'webgpu',
  precision: 'mixed',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
});
process.exit(await main(process.argv.slice(2)));
