#!/usr/bin/env bash
# Issue #16's batch-1 criterion in one short device call: lsr-224 inference (latents cached,
# mixed precision, captured; split weights and all-f16) with its per-call GPU profile, beside
# PyTorch fp32 eager batch 1 on the same GPU, for every .device/gpu-bench*.mjs. For an A/B of a
# change, also bundle the code before it as .device/gpu-bench-base.mjs (e.g. check out the
# changed files of the base commit, rebuild that package, `node tools/device/bundle.mjs
# packages/train/bench/gpu-bench.ts gpu-bench-base`, then restore and rebuild).
#
# Stage it here:  bash tools/device/infer-b1.sh stage   (.device: ~35 MB with Node and Dawn)
# On the machine: source tools/device/remote-setup.sh && bash tools/device/infer-b1.sh run
# Out ($OUT): torch-infer-fp32-b1.json, torch-infer-profile-fp32.json, mixed-<bundle>.json,
# profile-tables-<bundle>.md. ~40 s per bundle on an H200, ~15 s for PyTorch.
set -uo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  stage)
    set -e
    bash tools/device/prepare.sh >/dev/null
    rm -f .device/*.wasm
    node tools/device/bundle.mjs packages/train/bench/gpu-bench.ts gpu-bench 2>/dev/null
    src=${TH_TORCH_LSR:-../shared/tools/torch_lsr}
    mkdir -p .device/torch_lsr && cp "$src"/*.py tools/device/torch-infer-profile.py .device/torch_lsr/
    du -sh .device
    ;;
  run)
    out=${OUT:-.bench/infer-b1}
    mkdir -p "$out"
    gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)
    (cd .device/torch_lsr && timeout 30 python3 bench_infer.py --preset lsr-224 --device cuda --dtype fp32 \
      --batch 1 --iters 100 | tail -1 | tee "$out/torch-infer-fp32-b1.json")
    (cd .device/torch_lsr && timeout 40 python3 torch-infer-profile.py --preset lsr-224 --dtype fp32 \
      --json "$out/torch-infer-profile-fp32.json" 2>/dev/null | cut -c1-200)
    for f in .device/gpu-bench*.mjs; do
      v=$(basename "$f" .mjs)
      d=.bench/infer-b1-$v
      mkdir -p "$d" && printf '{"name": "%s"}\n' "$gpu" >"$d/device.json" && cp "$out/torch-infer-fp32-b1.json" "$d/"
      # A batch-1 step first (gpu-bench's step part, kept short), then the inference it is here for.
      TH_BENCH_BATCH=1 TH_BENCH_K=1 TH_BENCH_WARMUP=0 TH_BENCH_STEPS=1 TH_BENCH_CAPTURED_STEP=0 \
        TH_BENCH_INFER_BATCHES=1 TH_BENCH_INFER_ITERS=60 timeout 100 node "$f" run mixed "$d/mixed.json" 2>&1 |
        grep "infer mixed" | cut -c1-230
      TH_BENCH_RESULTS=$d/merged.json node "$f" merge "$d" >/dev/null 2>&1
      cp "$d/mixed.json" "$out/mixed-$v.json"
      cp "$d/profile-tables.md" "$out/profile-tables-$v.md" 2>/dev/null
    done
    ;;
  *)
    echo "usage: bash tools/device/infer-b1.sh stage | run" >&2
    exit 2
    ;;
esac
