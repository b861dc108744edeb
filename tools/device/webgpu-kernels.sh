#!/usr/bin/env bash
# @th/backend's WGSL convolution/matmul kernels on a GPU machine, in one device call:
#  1. the lsr-224 stage-2 step (batch 4, K 4, R1+R2) with @th's kernels, recording every
#     conv/matmul call it makes (calls.json);
#  2. the kernel bench on those calls: GPU time of @th's kernel and of tfjs-webgpu's own, and the
#     error of @th's output against tfjs-webgpu's and against the defining sums (kernels.json);
#  3. the gradient conformance suite on webgpu (conformance.txt);
#  4. the same step with tfjs-webgpu's own kernels (STOCK=0 skips it).
#
# Here, in a checkout with node_modules:
#   npx turbo run build --filter=@th/train... && bash tools/device/webgpu-kernels.sh bundle
#   bash tools/device/prepare.sh          # Node, Dawn and the Vulkan loader into .device/
# On the GPU machine (carry .device):
#   source tools/device/remote-setup.sh && bash tools/device/webgpu-kernels.sh run
# Outputs go to $OUT (default .bench/webgpu-kernels).
set -uo pipefail
cd "$(dirname "$0")/../.."
D=.device
case "${1:-}" in
  bundle)
    set -e
    node tools/device/bundle.mjs tools/device/stage2-kernel-calls.ts gpu-conv-stage2k
    node tools/device/bundle.mjs packages/backend/bench/webgpu-kernels.ts gpu-conv-wgk
    node tools/device/bundle.mjs packages/backend/scripts/conformance-report.ts gpu-conv-conformance
    ;;
  run)
    out=${OUT:-.bench/webgpu-kernels}
    mkdir -p "$out"
    export TH_PRESET=${TH_PRESET:-lsr-224} TH_BATCH=${TH_BATCH:-4} TH_K=${TH_K:-4}
    echo "== $TH_PRESET stage-2 step with @th's kernels (recording calls)"
    TH_STEPS=4 TH_CALLS_OUT="$out/calls.json" timeout 170 node $D/gpu-conv-stage2k.mjs 2>&1 |
      grep -v Warning | tee "$out/stage2-th.log"
    echo "== kernel bench"
    TH_TOP=${TOP:-5} TH_REPS=3 TH_OUT="$out/kernels.json" timeout 200 \
      node $D/gpu-conv-wgk.mjs "$out/calls.json" 2>&1 | grep -v Warning >"$out/kernels.log"
    tail -30 "$out/kernels.log"
    echo "== conformance on webgpu"
    TH_BACKENDS=webgpu timeout 80 node $D/gpu-conv-conformance.mjs >"$out/conformance.txt" 2>&1
    echo "conformance exit $?"
    if [ "${STOCK:-1}" = 1 ]; then
      echo "== $TH_PRESET stage-2 step with tfjs-webgpu's own kernels"
      TH_STEPS=3 TH_STOCK_KERNELS=1 timeout 110 node $D/gpu-conv-stage2k.mjs 2>&1 |
        grep -v Warning | tee "$out/stage2-tfjs.log"
    fi
    ;;
  *)
    echo "usage: bash tools/device/webgpu-kernels.sh bundle|run" >&2
    exit 2
    ;;
esac
