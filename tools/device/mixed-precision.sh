#!/usr/bin/env bash
# Mixed precision (f16 GEMM operands, f32 accumulation; tensor cores through WebGPU subgroup
# matrices) on a GPU machine. Nothing of the tensor-core path runs without a GPU (lavapipe offers
# shader-f16 but no subgroup matrices; CI tests that kernel with its builtins emulated), so this is
# where it is verified. Three parts, each short enough for one device call:
#   kernels  adapter features and the GEMM path init picks; per kernel call (lsr-224-like shapes,
#            or CALLS=calls.json recorded by tools/device/stage2-kernel-calls.ts): GPU time and
#            error of f32, tiled f16 and tensor-core kernels, with and without split weights; the
#            tensor-core output must equal the tiled f16 one to 1e-4 (same rounded operands); the
#            R1 + R2 parameter gradient of a toy discriminator, mixed vs f32 (< 5e-3). Exit 1 on a
#            failed check.
#   infer    the bundled model's output images, mixed vs f32 on the same GPU, with every
#            operand f16 and with split weights (as `th reenact --precision mixed`; must be ≤ 1e-2).
#   bench    the lsr-224 stage-2 step (batch 4, K 4, R1+R2) and cached-latent inference, f32 and
#            mixed (gpu-bench.ts; th_mixed_step_s and th_mixed_infer_fps_b1 come from here or
#            from the full side-by-side `npm run bench:gpu`).
#   pair     training quality: the same stage-2 run (seed, data, length) with th-train in f32 and
#            in mixed, side by side on the GPU; both hold-out curves and their relative difference
#            in pair.json (pair-compare.ts; exit 1 if the last hold-out L1 differs by > 5 %).
#            PAIR_DATA (default $D/data/train), PAIR_PRESET (lsr-128), PAIR_STEPS (120),
#            PAIR_EVERY (30: hold-out evaluation and checkpoint interval), PAIR_SECONDS (400).
#
# Here, in a checkout with node_modules (after `npx turbo run build`):
#   bash tools/device/prepare.sh && bash tools/device/mixed-precision.sh bundle
# On the GPU machine (carry .device):
#   source tools/device/remote-setup.sh && bash tools/device/mixed-precision.sh run kernels
#   (then `run infer`, `run bench`; `run all` does the three). Outputs go to $OUT
#   (default .bench/mixed-precision).
set -uo pipefail
cd "$(dirname "$0")/../.."
D=.device
out=${OUT:-.bench/mixed-precision}
kernels() {
  echo "== GEMM kernels: tensor-core vs tiled f16 vs f32; R1/R2 second order"
  TH_OUT="$out/mixed-kernels.json" TH_TOP=${TOP:-4} TH_REPS=${REPS:-5} timeout 500 \
    node $D/mixed-kernels.mjs ${CALLS:-} 2>&1 | grep -v Warning | tee "$out/mixed-kernels.log"
  return "${PIPESTATUS[0]}"
}
infer() {
  local model
  model=packages/infer/assets/$(node -p "require('./packages/infer/package.json').bundledModel").safetensors
  echo "== bundled model $model inference, mixed vs f32 (same GPU)"
  timeout 300 node $D/mixed-infer.mjs "$model" fixtures/voxceleb2 webgpu \
    2>&1 | grep -v Warning | tee "$out/mixed-infer.log"
  return "${PIPESTATUS[0]}"
}
bench() {
  local status=0
  for v in th mixed; do
    echo "== gpu-bench variant $v (lsr-224 stage-2 step, inference)"
    TH_BENCH_STEPS=${STEPS:-2} TH_BENCH_PROFILE=${PROFILE:-1} timeout 280 \
      node $D/gpu-bench.mjs run "$v" "$out/$v.json" 2>&1 | grep -v Warning | tee "$out/$v.log"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
  done
  node $D/gpu-bench.mjs merge "$out" >"$out/merge.log" 2>&1 || status=1
  grep -E '"(device|th_step_s|th_mixed_step_s|th_infer_fps_b1|th_mixed_infer_fps_b1|th_mixed_gemm_path)"' \
    "$out/h100-lsr224.json" 2>/dev/null
  return $status
}
pair() {
  local steps=${PAIR_STEPS:-120} runs=.bench/mixed-pair p
  echo "== training pair: stage 2, f32 and mixed, $steps steps, hold-out every ${PAIR_EVERY:-30}"
  rm -rf "$runs" && mkdir -p "$runs"
  for p in f32 mixed; do # checkpoints (with Adam's moments) stay in $runs: only curves go to $out
    timeout -s INT "${PAIR_SECONDS:-400}" node $D/trainer.mjs --stage 2 --preset "${PAIR_PRESET:-lsr-128}" \
      --batch 8 --k 4 --seed 7 --steps "$steps" --set checkpointEvery="${PAIR_EVERY:-30}" \
      --set sampleEvery=1000000 --set losses.stage2.penaltyInterval=4 --set losses.stage2.l1=10 \
      --set schedule.baseLearningRate=5e-4 --precision $p --data "${PAIR_DATA:-$D/data/train}" \
      --backend webgpu --loader-workers 2 --run-dir "$runs" --name $p >"$out/pair-$p.log" 2>&1 &
  done
  wait
  for p in f32 mixed; do cp "$runs"/*-$p/metrics.jsonl "$out/pair-$p.metrics.jsonl" 2>/dev/null; done
  node $D/pair-compare.mjs "$out/pair-f32.metrics.jsonl" "$out/pair-mixed.metrics.jsonl" "$out/pair.json"
}
case "${1:-}" in
  bundle)
    set -e
    node tools/device/bundle.mjs packages/backend/bench/mixed-precision.ts mixed-kernels
    node tools/device/bundle.mjs packages/infer/scripts/mixed-inference-check.ts mixed-infer
    node tools/device/bundle.mjs packages/train/bench/gpu-bench.ts gpu-bench
    node tools/device/bundle.mjs tools/device/pair-compare.ts pair-compare
    ;;
  run)
    mkdir -p "$out"
    export TH_BENCH_RESULTS=${TH_BENCH_RESULTS:-$out/h100-lsr224.json}
    case "${2:-all}" in
      kernels) kernels ;;
      infer) infer ;;
      bench) bench ;;
      pair) pair ;;
      all)
        s=0
        kernels || s=1
        infer || s=1
        bench || s=1
        exit $s
        ;;
      *) echo "usage: mixed-precision.sh run [kernels|infer|bench|pair|all]" >&2; exit 2 ;;
    esac
    ;;
  *)
    echo "usage: bash tools/device/mixed-precision.sh bundle | run [kernels|infer|bench|pair|all]" >&2
    exit 2
    ;;
esac
