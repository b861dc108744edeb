#!/usr/bin/env bash
# The FSTH evaluation's GPU part (issue #17): fine-tuned (and, if asked, meta-learned) outputs of a
# model rendered on the GPU machine with th-eval as a user runs it (bundled, tools/device/
# eval-entry.ts, --render-only), then scored here, where the metric networks are installed, by the
# same th-eval command without --render-only (checkpoint and dataset are matched by content, so
# the paths may differ). protocol.json keeps the fine-tuning wall time per identity and K, and the
# backend that ran it.
#
# Stage it here:   bash tools/device/eval.sh stage <prepared dataset> [checkpoint]
#   The bundle and the dataset go into .device; a checkpoint given goes into .bench/eval-ck, to be
#   carried in a call of its own just before (the machine keeps carried folders between calls
#   while it stays warm): it needs its discriminator (fine-tuning trains D), and an lsr-128 one
#   is 84 MB in float32, 42 MB in F16 (strip-checkpoint.mjs --f16), too much beside .device.
# On the machine:  source tools/device/remote-setup.sh && bash tools/device/eval.sh run \
#                     <checkpoint|campaign|carried> [th-eval flags, e.g. --identities id00812 --k 32]
#   "campaign": the best checkpoint (by hold-out L1, run-checkpoints.sh) of the newest stage-2
#   run of tools/device/campaign.sh on this machine (.bench/campaign/runs), stripped to the model's weights with D exactly as campaign.sh's
#   TH_CAMPAIGN_CHECKPOINTS=weights returns it (EVAL_F16=1: in half precision, as
#   `strip-checkpoint.mjs --f16` makes it here), so it is byte for byte the file scored here;
#   "carried": .bench/eval-ck/model.safetensors. Default flags:
#   --settings finetuned --k 1,4,32, every identity of the dataset (later flags win). The run
#   folder .bench/eval/run (EVAL_RUN: another, e.g. for a second --finetune-lr, which the first
#   folder refuses) accumulates over calls (a finished setting is skipped; EVAL_SECONDS,
#   default 540, stops th-eval cleanly before the 10-minute limit), and each call returns
#   outputs/, protocol.json and the log as one tar in 15 MB parts in $OUT. Here:
#   TH_EVAL_DATA: the dataset on the machine (default $D/data/eval), e.g. carried in a call of its own.
#   `mkdir -p RUN && cat eval.tar.part-* | tar xf - -C RUN`, then the same th-eval command with
#   this machine's paths and without --render-only (e.g. with --baselines) scores it.
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
    node tools/device/bundle.mjs tools/device/strip-checkpoint.mjs strip-checkpoint 2>/dev/null
    rm -rf $D/data/eval && mkdir -p $D/data && cp -r "$data" $D/data/eval
    tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
    fits() { # <what> <bytes>: one call's carry plus the tracked tree against the 64 MiB limit
      echo "$1: $(($2 / 1000000)) MB + tracked tree $((tree / 1000000)) MB (limit 67 MB together)"
      [ $(($2 + tree)) -lt 67108864 ] ||
        echo "  over the limit: move large tracked files (packages/infer/assets/*.safetensors) out of the tree for the call"
    }
    fits "carry $D" "$(du -sb $D | cut -f1)"
    rm -rf .bench/eval-ck
    if [ -n "${3:-}" ]; then
      mkdir -p .bench/eval-ck && cp "$3" .bench/eval-ck/model.safetensors
      fits "carry .bench/eval-ck (its own call, first)" "$(du -sb .bench/eval-ck | cut -f1)"
    fi
    ;;
  run)
    ck=${2:?usage: eval.sh run <checkpoint|campaign> [th-eval flags]}
    shift 2
    [ "$ck" = carried ] && ck=$PWD/.bench/eval-ck/model.safetensors
    if [ "$ck" = campaign ]; then
      r=$(ls -d "$PWD"/.bench/campaign/runs/*-stage2 2>/dev/null | tail -1)
      source tools/device/run-checkpoints.sh
      c=$(best_ckpt "$r")
      [ -n "$c" ] || { echo "no stage-2 checkpoint under .bench/campaign/runs" >&2; exit 2; }
      ck=$PWD/.bench/eval-ck/model.safetensors
      mkdir -p .bench/eval-ck
      node $D/strip-checkpoint.mjs ${EVAL_F16:+--f16} "$c" "$ck" styleEncoder. layoutEncoder. \
        layoutGenerator. imageGenerator. discriminator. || exit 1
    fi
    out=${OUT:-.bench/eval/out}
    run=${EVAL_RUN:-$PWD/.bench/eval/run} # another folder per setting of th-eval (e.g. --finetune-lr): a folder refuses others
    mkdir -p "$run" "$out"
    t0=$SECONDS
    echo "== th-eval --render-only on the GPU: $ck"
    # SIGINT before the 10-minute limit: th-eval removes its temp files; finished settings stay.
    timeout -s INT -k 30 "${EVAL_SECONDS:-540}" node $D/evaluator.mjs --checkpoint "$ck" \
      --data "${TH_EVAL_DATA:-$D/data/eval}" --out "$run" --render-only --backend webgpu --settings finetuned \
      --k 1,4,32 "$@" 2>&1 | grep -v '^Warning' | tee -a "$run/eval-device.log" | grep -v ': render \|fine-tune step [0-9]*[1-9]/' | tail -${TAIL:-60}
    # Fine-tuning wall time per identity and K so far (protocol.json), the numbers #17 asks for.
    [ -f "$run/protocol.json" ] && node -e 'for (const r of require(process.argv[1]).runs) if (r.finetune) console.log(
      `fine-tune ${r.identity} K=${r.k}: ${r.finetune.steps} steps in ${r.finetune.seconds.toFixed(1)} s on ${r.backend}; render ${r.renderMsPerFrame.toFixed(0)} ms/frame`)' "$run/protocol.json"
    items=$(cd "$run" && ls -d outputs protocol.json eval-device.log 2>/dev/null)
    tar cf - -C "$run" $items | split -b 15000000 -d - "$out/eval.tar.part-"
    ls -la "$out"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used --format=csv,noheader
    echo "== eval call done in $((SECONDS - t0)) s"
    ;;
  *)
    echo "usage: bash tools/device/eval.sh stage <dataset> [checkpoint] | run <checkpoint|campaign|carried> [flags]" >&2
    exit 2
    ;;
esac
