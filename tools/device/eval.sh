#!/usr/bin/env bash
# The FSTH evaluation's GPU part (issue #17): fine-tuned (and, if asked, meta-learned) outputs of a
# model rendered on the GPU machine with th-eval as a user runs it (bundled, tools/device/
# eval-entry.ts, --render-only), then scored here, where the metric networks are installed, by the
# same th-eval command without --render-only (checkpoint and dataset are matched by content, so
# the paths may differ). protocol.json keeps the fine-tuning wall time per identity and K, and the
# backend that ran it.
#
# Stage it here:   bash tools/device/eval.sh stage <prepared dataset> [checkpoint]   (into .device)
#   The checkpoint needs its discriminator (fine-tuning trains D). An lsr-128 checkpoint with D is
#   84 MB in float32, over the 64 MiB carry: leave it out to use the campaign's own checkpoint on
#   the warm machine (below), or carry it in a separate call (see tools/device/README.md).
# On the machine:  source tools/device/remote-setup.sh && bash tools/device/eval.sh run \
#                     <checkpoint|campaign> [th-eval flags, e.g. --identities id00812 --k 32,4,1]
#   "campaign": the newest checkpoint of the newest stage-2 run of tools/device/campaign.sh on this
#   machine (.bench/campaign/runs). Default flags: --settings finetuned --k 1,4,32, all identities
#   of the dataset; the run folder .bench/eval/run accumulates over calls (a finished setting is
#   skipped), and each call returns outputs/, protocol.json and the log as one tar in 15 MB parts
#   in $OUT. Here: `mkdir -p RUN && cat eval.tar.part-* | tar xf - -C RUN`, then
#   th-eval --checkpoint <same model> --data <same dataset> --out RUN [--baselines ...].
set -uo pipefail
cd "$(dirname "$0")/../.."
D=${TH_DEVICE_DIR:-.device}
case "${1:-}" in
  stage)
    data=${2:?usage: eval.sh stage <prepared dataset> [checkpoint]}
    [ -f "$data/dataset.json" ] || { echo "$data: not a dataset made by th-data prepare (no dataset.json)" >&2; exit 2; }
    set -e
    bash tools/device/prepare.sh >/dev/null
    node tools/device/bundle.mjs tools/device/eval-entry.ts evaluator 2>/dev/null
    rm -rf $D/data/eval && mkdir -p $D/data && cp -r "$data" $D/data/eval
    rm -f $D/eval-checkpoint.safetensors
    [ -z "${3:-}" ] || cp "$3" $D/eval-checkpoint.safetensors
    carry=$(du -sb $D | cut -f1)
    tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
    echo "carry $D: $((carry / 1000000)) MB; tracked tree: $((tree / 1000000)) MB; limit 67 MB together"
    [ $((carry + tree)) -lt 67108864 ] ||
      echo "over the limit: leave the checkpoint out (use 'campaign' on the warm machine) or move large tracked files (packages/infer/assets/*.full.safetensors) out of the tree for the call"
    ;;
  run)
    ck=${2:?usage: eval.sh run <checkpoint|campaign> [th-eval flags]}
    shift 2
    if [ "$ck" = campaign ]; then
      r=$(ls -d "$PWD"/.bench/campaign/runs/*-stage2 2>/dev/null | tail -1)
      ck=$(ls "$r"/checkpoints/step-*.safetensors 2>/dev/null | tail -1)
      [ -n "$ck" ] || { echo "no stage-2 checkpoint under .bench/campaign/runs" >&2; exit 2; }
    fi
    out=${OUT:-.bench/eval/out}
    run=$PWD/.bench/eval/run
    mkdir -p "$run" "$out"
    t0=$SECONDS
    echo "== th-eval --render-only on the GPU: $ck"
    # SIGINT before the 10-minute limit: th-eval removes its temp files; finished settings stay.
    timeout -s INT -k 30 "${EVAL_SECONDS:-540}" node $D/evaluator.mjs --checkpoint "$ck" \
      --data $D/data/eval --out "$run" --render-only --backend webgpu --settings finetuned \
      --k 1,4,32 "$@" 2>&1 | grep -v '^Warning' | tee -a "$run/eval-device.log" | grep -v ': render \|fine-tune step [0-9]*[1-9]/' | tail -${TAIL:-60}
    tar cf - -C "$run" outputs protocol.json eval-device.log | split -b 15000000 -d - "$out/eval.tar.part-"
    ls -la "$out"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used --format=csv,noheader
    echo "== eval call done in $((SECONDS - t0)) s"
    ;;
  *)
    echo "usage: bash tools/device/eval.sh stage <dataset> [checkpoint] | run <checkpoint|campaign> [flags]" >&2
    exit 2
    ;;
esac
