#!/usr/bin/env bash
# A training campaign on the GPU machine, run with th-train exactly as a user runs it (the bundled
# CLI, tools/device/th-train-entry.ts). A device command lasts at most 10 minutes, so a campaign is
# a chain of calls: each one starts or resumes the run under .bench/campaign/runs (kept on a warm
# machine between calls), trains for SECONDS, stops th-train with SIGINT (it finishes cleanly and
# stays resumable), and returns what a report needs through $OUT as ONE tar archive in 15 MB parts
# (a call brings back files of at most 16 MiB, and only a handful of them): config, metrics, log,
# curves, the newest samples and the best checkpoint of the newest stage by its hold-out metric
# (TH_CAMPAIGN_CHECKPOINTS=0 leaves it out; =weights keeps only the networks' weights, =weights-f16
# those in half precision). Here: `cat campaign.tar.part-* | tar xf -`; `th-train --resume`
# continues from a full checkpoint, `th-train --stage 2 --init` (or TH_CAMPAIGN_INIT on the
# machine) from the weights alone.
#
# Stage it here:   bash tools/device/campaign.sh stage <prepared dataset>   (into .device)
# On the machine:  source tools/device/remote-setup.sh && bash tools/device/campaign.sh run \
#                     <stage1-steps> <seconds> [th-train flags for both stages...]
# Stage 1 (layout pre-training) runs first for <stage1-steps>, then stage 2 (--init from stage
# 1's last checkpoint) for the rest of the time; a later call resumes whichever stage is unfinished.
# TH_CAMPAIGN_S2_STEPS sets stage 2's --steps (default 1000000: time-limited, so the final lr
# decay never runs); given on a resume it re-plans the run's length (th-train records the change).
# TH_CAMPAIGN_S2_FLAGS: more th-train flags for stage 2 only (e.g. its learning rate and decay).
# TH_CAMPAIGN_INIT: a stage-2 checkpoint on the machine (e.g. the weights + D an earlier session
# brought back with TH_CAMPAIGN_CHECKPOINTS=weights-f16, carried in a call of its own): no stage 1,
# stage 2 starts from it (th-train --init loads every network of a stage-2 checkpoint and goes on
# counting examples; Adam's moments restart).
# TH_CAMPAIGN_LOADER_WORKERS: decode threads (default 4; 0 decodes on the training thread).
# TH_CAMPAIGN_DATA: the prepared dataset on the machine (default $D/data/train). A large dataset
# can travel in a call of its own (carry e.g. .bench/devdata; a warm machine keeps it).
#
# A campaign longer than one call: `campaign.sh start <stage1-steps> <seconds> [flags]` runs `run`
# in the background (setsid; log .bench/campaign/bg.log; parts into .bench/campaign/out), and each
# later call runs `campaign.sh wait <seconds>`: it returns when the campaign is done or the time
# is up, prints each run's last evaluations and step, and once the campaign is done copies its
# parts and log to $OUT (exit 0 when done, 3 while it still runs).
set -uo pipefail
cd "$(dirname "$0")/../.."
D=${TH_DEVICE_DIR:-.device} # stage into another folder to keep a staged .device; carry it as .device
case "${1:-}" in
  stage)
    data=${2:?usage: campaign.sh stage <prepared dataset folder>}
    [ -f "$data/dataset.json" ] || { echo "$data: not a dataset made by th-data prepare (no dataset.json)" >&2; exit 2; }
    set -e
    bash tools/device/prepare.sh >/dev/null
    node tools/device/bundle.mjs tools/device/th-train-entry.ts trainer 2>/dev/null
    # The loader's decode worker, beside the bundle where @th/data looks for it (loader-worker.mjs):
    # th-train's main thread then only drives the GPU (decoding 32 K-shot examples of 128² costs it
    # ~160 ms per step otherwise; the 2026-12-07 campaign ran with its node thread at ~95 % CPU).
    node tools/device/bundle.mjs packages/data/src/cli/loader-worker-main.node-only.ts loader-worker 2>/dev/null
    node tools/device/bundle.mjs tools/device/strip-checkpoint.mjs strip-checkpoint 2>/dev/null
    rm -rf $D/data && mkdir -p $D/data && cp -r "$data" $D/data/train
    du -sh $D
    ;;
  run)
    s1=${2:?stage-1 steps}
    secs=${3:?seconds}
    shift 3
    out=${OUT:-.bench/campaign/out}
    runs=$PWD/.bench/campaign/runs
    mkdir -p "$runs" "$out"
    train() { timeout -s INT -k 60 "$1" node $D/trainer.mjs "${@:2}" --data "${TH_CAMPAIGN_DATA:-$D/data/train}" --backend webgpu \
      --loader-workers "${TH_CAMPAIGN_LOADER_WORKERS:-4}" --run-dir "$runs" 2>&1 | grep -v '^Warning' | tail -${TAIL:-25}; }
    t0=$SECONDS
    newest() { ls -d "$runs"/*-"$1" 2>/dev/null | tail -1; }
    source tools/device/run-checkpoints.sh # last_ckpt, best_ckpt
    r1=$(newest stage1)
    if [ -n "${TH_CAMPAIGN_INIT:-}" ]; then
      [ -f "$TH_CAMPAIGN_INIT" ] || { echo "TH_CAMPAIGN_INIT=$TH_CAMPAIGN_INIT: no such checkpoint" >&2; exit 2; }
      echo "== stage 2 continues $TH_CAMPAIGN_INIT (no stage 1)"
    elif [ -z "$r1" ]; then
      echo "== stage 1: $s1 steps"
      train $((secs)) --stage 1 --steps "$s1" --name stage1 "$@"
      r1=$(newest stage1)
    elif c=$(last_ckpt "$r1") && [ -n "$c" ] && [ "$((10#$(basename "$c" .safetensors | tr -dc 0-9)))" -lt "$s1" ]; then
      echo "== stage 1: resume $r1"
      train $((secs)) --resume "$r1"
    fi
    left=$((secs - (SECONDS - t0)))
    r2=$(newest stage2)
    if [ "$left" -gt 30 ]; then
      if [ -z "$r2" ]; then
        c1=${TH_CAMPAIGN_INIT:-$(last_ckpt "$r1")}
        echo "== stage 2 from $c1 for ${left} s"
        train "$left" --stage 2 --init "$c1" --steps "${TH_CAMPAIGN_S2_STEPS:-1000000}" --name stage2 "$@" ${TH_CAMPAIGN_S2_FLAGS:-}
      else
        echo "== stage 2: resume $r2 for ${left} s"
        train "$left" --resume "$r2" ${TH_CAMPAIGN_S2_STEPS:+--steps "$TH_CAMPAIGN_S2_STEPS"}
      fi
    fi
    # A device call returns only a few files: everything goes back as one archive in 15 MB parts.
    pack=$(mktemp -d)
    for r in $(newest stage1) $(newest stage2); do
      o="$pack/$(basename "$r")"
      mkdir -p "$o"
      cp "$r"/config.json "$r"/metrics.jsonl "$r"/log.txt "$r"/curves.html "$o"/ 2>/dev/null
      ls "$r"/samples/* 2>/dev/null | tail -4 | xargs -r cp -t "$o"/
      c=$(best_ckpt "$r")
      # The run's best checkpoint by its hold-out metric travels, and only the newest stage's; 'weights' drops the optimiser state (an lsr-128
      # training checkpoint with Adam's moments is ~300 MB, its weights ~100 MB).
      [ -n "${c:-}" ] && [ "$r" = "$(newest stage2 || true)" -o -z "$(newest stage2)" ] || c=
      case "${TH_CAMPAIGN_CHECKPOINTS:-1}:${c:-}" in
        *:) ;;
        1:*) cp "$c" "$o"/ ;;
        weights:* | weights-f16:*) # weights-f16: half the size (42 MB at lsr-128), 3 parts of 15 MB
          half=; [ "$TH_CAMPAIGN_CHECKPOINTS" = weights-f16 ] && half=--f16
          node $D/strip-checkpoint.mjs $half "$c" "$o/$(basename "$c")" styleEncoder. layoutEncoder. \
            layoutGenerator. imageGenerator. discriminator. ;;
      esac
    done
    tar cf - -C "$pack" . | split -b 15000000 -d - "$out/campaign.tar.part-"
    rm -rf "$pack"
    ls -la "$out"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used --format=csv,noheader
    echo "== campaign call done in $((SECONDS - t0)) s"
    ;;
  start)
    mkdir -p .bench/campaign
    rm -rf .bench/campaign/out
    OUT=$PWD/.bench/campaign/out setsid nohup bash "$0" run "${@:2}" >.bench/campaign/bg.log 2>&1 </dev/null &
    sleep "${TH_CAMPAIGN_START_WAIT:-45}"
    tail -n 5 .bench/campaign/bg.log | cut -c1-300
    ;;
  wait)
    limit=${2:-540}
    t0=$SECONDS
    done_=0
    while [ $((SECONDS - t0)) -lt "$limit" ]; do
      grep -q "campaign call done" .bench/campaign/bg.log 2>/dev/null && { done_=1; break; }
      sleep 5
    done
    for log in .bench/campaign/runs/*/log.txt; do
      [ -f "$log" ] || continue
      echo "-- $(dirname "$log")"
      grep -E '\| eval ' "$log" | tail -n 3 | sed -E 's/^([^ ]+ step [0-9]+ examples [0-9]+).*(\| eval .*)$/\1 \2/'
      grep -E ' step [0-9]+ ' "$log" | tail -n 1 | cut -c1-160
    done
    if [ "$done_" = 1 ]; then
      out=${OUT:?wait: set OUT to where the parts go}
      cp .bench/campaign/out/* "$out"/ && cp .bench/campaign/bg.log "$out"/campaign-bg.log
      ls -la "$out"
      echo "== campaign done; parts in $out"
    else
      tail -n 3 .bench/campaign/bg.log | cut -c1-300
      echo "== campaign still running after ${limit} s"
      exit 3
    fi
    ;;
  *)
    echo "usage: bash tools/device/campaign.sh stage <dataset> | run|start <stage1-steps> <seconds> [flags] | wait [seconds]" >&2
    exit 2
    ;;
esac
