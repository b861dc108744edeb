// th-eval for the GPU machine (no node_modules there): brings WebGPU up with the tfjs webgpu
// backend bundled in (`webgpuModule`), then runs the CLI unchanged with the given arguments.
// There it renders only (--render-only: meta and fine-tuned outputs, with the fine-tuning wall
// time per identity in protocol.json): the metric networks (face-api, Human's MobileFace) stay
// external to the bundle and are never loaded; the returned folder is scored on a machine with
// node_modules by the same command without --render-only (checkpoint and dataset are matched by
// content, so other paths are fine). Bundle with
//   node tools/device/bundle.mjs tools/device/eval-entry.ts evaluator
// and run `node .device/evaluator.mjs --checkpoint CK --data DATASET --out DIR --render-only
// --backend webgpu [...]` (tools/device/eval.sh does both). The bundle is not named th-eval.
import { init } from '@th/backend';
import { thEvalMain } from '../../packages/eval/src/cli/th-eval-main';

await init({
  backend: 'webgpu',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
});
process.exit(await thEvalMain(process.argv.slice(2)));
