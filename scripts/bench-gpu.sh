#!/usr/bin/env bash
# npm run bench:gpu — @th against the PyTorch reference on one GPU machine, in one process tree:
# the lsr-224 stage-2 step (batch 4, K 4, R1+R2 every step) and inference with cached latents
# (batch 1 and 8), for @th's WebGPU runtime in f32 and with precision mixed (f16 GEMM operands,
# f32 accumulation, tensor cores where offered: th_mixed_step_s, th_mixed_infer_fps_b1) and for
# tfjs-webgpu as it comes, then
# PyTorch's bench_step.py (fp32; and the fastest settings: LSR_BLUR=fold --channels-last, tf32
# and bf16) and bench_infer.py. Writes packages/backend/bench/results/h100-lsr224.json and the
# per-program profile tables (.bench/gpu/profile-tables.md).
#
#   TH_TORCH_LSR=/path/to/torch_lsr npm run bench:gpu        (or: bash scripts/bench-gpu.sh /path)
#
# TH_TORCH_LSR (or the first argument) is the folder of the PyTorch reference (bench_step.py,
# bench_infer.py, lsr.py); nothing is assumed about where it lives. Other knobs: TH_PYTHON
# (python3), TH_TORCH_DEVICE (cuda), TH_TORCH_PRESET (lsr-224), TH_TORCH_STEPS (3),
# TH_BENCH_DIR (.bench/gpu), TH_BENCH_RESULTS, TH_BENCH_BUNDLE (a prebuilt bundle of
# packages/train/bench/gpu-bench.ts; built with esbuild when unset), TH_BENCH_SKIP_BASELINE=1,
# TH_BENCH_SKIP_TORCH=1, TH_BENCH_SKIP_MIXED=1, TH_BENCH_PART_TIMEOUT (s per part, 900), and
# gpu-bench.ts' TH_BENCH_*.
set -uo pipefail
cd "$(dirname "$0")/.."
torch_lsr=${TH_TORCH_LSR:-${1:-}}
python=${TH_PYTHON:-python3}
torch_device=${TH_TORCH_DEVICE:-cuda}
torch_preset=${TH_TORCH_PRESET:-${TH_BENCH_PRESET:-lsr-224}}
torch_steps=${TH_TORCH_STEPS:-3}
dir=${TH_BENCH_DIR:-.bench/gpu}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export TH_BENCH_RESULTS=${TH_BENCH_RESULTS:-$PWD/packages/backend/bench/results/h100-lsr224.json}
mkdir -p "$(dirname "$TH_BENCH_RESULTS")"
if [ "${TH_BENCH_SKIP_TORCH:-0}" != 1 ] && [ ! -f "$torch_lsr/bench_step.py" ]; then
  echo "bench:gpu: set TH_TORCH_LSR (or pass a path) to the torch_lsr folder holding bench_step.py" >&2
  exit 2
fi
bundle=${TH_BENCH_BUNDLE:-}
if [ -z "$bundle" ]; then
  node tools/device/bundle.mjs packages/train/bench/gpu-bench.ts gpu-bench || exit 1
  bundle=.device/gpu-bench.mjs
fi
failed=()
step() { # name, command...: run one part, keep going when it fails
  local name=$1; shift
  echo "== bench:gpu: $name"
  local t0=$SECONDS
  if "$@"; then echo "== $name done in $((SECONDS - t0)) s"; else echo "== $name FAILED"; failed+=("$name"); fi
}

name=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
printf '{"name": "%s"}\n' "${name:-unknown GPU}" > "$dir/device.json"

limit=${TH_BENCH_PART_TIMEOUT:-900} # seconds per part, so one hang cannot eat the run
step "@th runtime" timeout "$limit" node "$bundle" run th "$dir/th.json"
[ "${TH_BENCH_SKIP_MIXED:-0}" = 1 ] ||
  step "@th runtime, precision mixed" timeout "$limit" node "$bundle" run mixed "$dir/mixed.json"
[ "${TH_BENCH_SKIP_BASELINE:-0}" = 1 ] ||
  step "tfjs-webgpu baseline" timeout "$limit" node "$bundle" run tfjs "$dir/tfjs.json"

torch_step() { # out-name, blur (depthwise|fold), extra args...
  local out=$1 blur=$2; shift 2
  (cd "$torch_lsr" && LSR_BLUR=$blur timeout "$limit" "$python" bench_step.py --preset "$torch_preset" --batch "${TH_BENCH_BATCH:-4}" \
    --K "${TH_BENCH_K:-4}" --device "$torch_device" --steps "$torch_steps" --warmup 2 \
    --no-count-flops --json "$dir/torch-$out.json" "$@")
}
torch_infer() { # batch
  (cd "$torch_lsr" && timeout "$limit" "$python" bench_infer.py --preset "$torch_preset" --device "$torch_device" \
    --dtype fp32 --batch "$1" --iters 30 | tail -1 > "$dir/torch-infer-fp32-b$1.json")
}
if [ "${TH_BENCH_SKIP_TORCH:-0}" != 1 ]; then
  export PYTHONUNBUFFERED=1
  step "torch step fp32" torch_step step-fp32 depthwise --dtype fp32
  step "torch step tf32 (fold blur, channels-last)" torch_step step-tf32-fold-cl fold --dtype tf32 --channels-last
  step "torch step bf16 (fold blur, channels-last)" torch_step step-bf16-fold-cl fold --dtype bf16 --channels-last
  step "torch inference b1" torch_infer 1
  step "torch inference b8" torch_infer 8
fi

step "merge" node "$bundle" merge "$dir"
if [ -n "${OUT:-}" ]; then # the device tool's output folder: few files come back, so pack them
  tar czf "$OUT/bench-gpu.tgz" -C "$dir" . && cp "$TH_BENCH_RESULTS" "$dir/profile-tables.md" "$OUT/"
fi
if [ ${#failed[@]} -gt 0 ]; then echo "bench:gpu: failed parts: ${failed[*]}" >&2; exit 1; fi
