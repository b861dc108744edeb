#!/usr/bin/env bash
# The whole GPU evidence of the runtime and mixed-precision work in ONE device call (a session has
# ~30 device minutes and each machine start costs 1-2 of them), most important first, so that a
# call cut short by its time limit still brings back the main numbers:
#   1. @th f32 lsr-224 stage-2 step (batch 4, K 4, R1+R2) with the per-kernel profile, inference b1/b8
#   2. PyTorch (torch_lsr) fp32 step and its fastest settings (bf16, LSR_BLUR=fold, channels-last)
#   3. PyTorch fp32 inference b1, then `merge` -> h100-lsr224.json + profile-tables.md
#   4. mixed-precision kernel checks (tensor-core vs tiled f16, R1/R2 mixed vs f32), then
#   5. @th mixed precision step and inference, merge again, and the bundled model's mixed-vs-f32
#      inference check
#   6. the gradient conformance suite on webgpu (conformance-webgpu.txt; TH_ONE_CALL_CONFORMANCE=0
#      leaves it out)
# Everything lands in $OUT: h100-lsr224.json, profile-tables.md, bench-gpu.tgz, conformance-webgpu.txt,
# mixed/. Stage it here with `bash tools/device/one-call.sh stage <torch_lsr folder>`, then on the
# machine (carry .device): `source tools/device/remote-setup.sh && bash tools/device/one-call.sh run`.
# It fits in ~8 minutes on an H100/H200; TH_ONE_CALL_QUICK=1 stops after step 3 and leaves out
# PyTorch's bf16 step (the row that compares with @th's mixed step, which QUICK does not run).
set -uo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  stage)
    src=${2:-${TH_TORCH_LSR:-}}
    [ -f "$src/bench_step.py" ] || { echo "usage: one-call.sh stage <torch_lsr folder>" >&2; exit 2; }
    set -e
    bash tools/device/prepare.sh >/dev/null
    rm -f .device/*.wasm # the device runs WebGPU only; the carry limit is 64 MiB with the working tree
    for e in packages/train/bench/gpu-bench.ts:gpu-bench \
      packages/backend/scripts/conformance-report.ts:conformance \
      packages/backend/bench/mixed-precision.ts:mixed-kernels \
      packages/infer/scripts/mixed-inference-check.ts:mixed-infer \
      tools/device/pair-compare.ts:pair-compare; do
      node tools/device/bundle.mjs "${e%%:*}" "${e##*:}" 2>/dev/null
    done
    mkdir -p .device/torch_lsr && cp "$src"/*.py .device/torch_lsr/
    carry=$(du -sb .device | cut -f1)
    tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
    echo "carry .device: $((carry / 1000000)) MB; tracked tree: $((tree / 1000000)) MB; limit 67 MB together"
    [ $((carry + tree)) -lt 67108864 ] ||
      echo "over the limit: move the largest tracked files the call does not read (e.g. the bundled model's full checkpoint packages/infer/assets/*.full.safetensors) out of the tree for the call, and back after"
    ;;
  run)
    D=.device
    dir=$PWD/.bench/gpu
    out=${OUT:-.bench/one-call}
    mkdir -p "$dir" "$out/mixed"
    export TH_BENCH_RESULTS=$out/h100-lsr224.json PYTHONUNBUFFERED=1
    name=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
    printf '{"name": "%s"}\n' "${name:-unknown GPU}" >"$dir/device.json"
    T() { local t0=$SECONDS; "$@"; echo "== rc $? in $((SECONDS - t0)) s: $*" | cut -c1-120; }
    pack() { cp "$dir/profile-tables.md" "$out/" 2>/dev/null; tar czf "$out/bench-gpu.tgz" -C "$dir" .; }
    quiet() { grep -v '^Warning' | cut -c1-900; }
    torch_step() { # out-name, blur, extra args
      (cd $D/torch_lsr && LSR_BLUR=$2 timeout 60 python3 bench_step.py --preset lsr-224 --batch 4 --K 4 \
        --device cuda --steps 3 --warmup 2 --no-count-flops --json "$dir/torch-$1.json" "${@:3}" 2>&1 | tail -2)
    }
    # TH_ONE_CALL_F32=0 leaves out the f32 steps of both (when their numbers exist and device time is short).
    if [ "${TH_ONE_CALL_F32:-1}" != 0 ]; then
      T timeout 150 node $D/gpu-bench.mjs run th "$dir/th.json" 2>&1 | quiet
      T torch_step step-fp32 depthwise --dtype fp32
    fi
    [ "${TH_ONE_CALL_QUICK:-0}" = 1 ] || T torch_step step-bf16-fold-cl fold --dtype bf16 --channels-last
    (cd $D/torch_lsr && timeout 30 python3 bench_infer.py --preset lsr-224 --device cuda --dtype fp32 \
      --batch 1 --iters 100 | tail -1 >"$dir/torch-infer-fp32-b1.json")
    node $D/gpu-bench.mjs merge "$dir" 2>&1 | tail -3
    pack
    [ "${TH_ONE_CALL_QUICK:-0}" = 1 ] && exit 0
    # The kernel checks before the mixed step: numbers of kernels that fail their checks mean nothing.
    T env OUT="$out/mixed" TOP=3 REPS=3 timeout 80 bash tools/device/mixed-precision.sh run kernels 2>&1 | tail -22
    T env TH_BENCH_PROFILE=0 timeout 120 node $D/gpu-bench.mjs run mixed "$dir/mixed.json" 2>&1 | quiet
    node $D/gpu-bench.mjs merge "$dir" 2>&1 | tail -3
    pack
    T env OUT="$out/mixed" timeout 50 bash tools/device/mixed-precision.sh run infer 2>&1 | tail -4
    # TH_ONE_CALL_CONFORMANCE=0 leaves out the gradient suite (80 s) when it has run on this build.
    if [ "${TH_ONE_CALL_CONFORMANCE:-1}" != 0 ]; then
      T env TH_BACKENDS=webgpu timeout 80 node $D/conformance.mjs >"$out/conformance-webgpu.txt" 2>&1
      tail -3 "$out/conformance-webgpu.txt"
    fi
    ;;
  *)
    echo "usage: bash tools/device/one-call.sh stage <torch_lsr folder> | run" >&2
    exit 2
    ;;
esac
