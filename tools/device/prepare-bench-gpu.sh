#!/usr/bin/env bash
# Stage `npm run bench:gpu` for the GPU machine, which has no Node packages: Node, Dawn and the
# Vulkan loader (prepare.sh), the bench bundled into .device/gpu-bench.mjs, the bench script as
# .device/bench-gpu.sh and the PyTorch reference copied to .device/torch_lsr. On the machine:
#   source tools/device/remote-setup.sh && TH_TORCH_LSR=.device/torch_lsr \
#     TH_BENCH_BUNDLE=.device/gpu-bench.mjs bash .device/bench-gpu.sh
#   bash tools/device/prepare-bench-gpu.sh /path/to/torch_lsr
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:-${TH_TORCH_LSR:-}}
[ -f "$src/bench_step.py" ] || { echo "usage: prepare-bench-gpu.sh <torch_lsr folder>" >&2; exit 2; }
bash tools/device/prepare.sh >/dev/null
node tools/device/bundle.mjs packages/train/bench/gpu-bench.ts gpu-bench
cp scripts/bench-gpu.sh .device/bench-gpu.sh
mkdir -p .device/torch_lsr && cp "$src"/*.py .device/torch_lsr/
du -sh .device
