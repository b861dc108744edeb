# Sourced by campaign.sh and eval.sh: which checkpoint of a th-train run directory to use.

# The newest checkpoint of run directory $1.
last_ckpt() { ls "$1"/checkpoints/step-*.safetensors 2>/dev/null | tail -1; }

# The checkpoint at the step with the best hold-out metric (stage 1: layout cross-entropy,
# stage 2: L1, as th-train ranks them; th-train never prunes it), else the newest. A GAN's last
# checkpoint can be far worse: the 2026-12-07 lsr-128 run collapsed in its last 400 steps.
best_ckpt() {
  local key=l1 step f
  case "$1" in *stage1) key=layoutCrossEntropy ;; esac
  step=$(node -e 'const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")
    .map((l) => JSON.parse(l)).filter((r) => r.eval && Number.isFinite(r.eval[process.argv[2]]));
    rows.sort((a, b) => a.eval[process.argv[2]] - b.eval[process.argv[2]]);
    console.log(rows[0] ? String(rows[0].step).padStart(7, "0") : "")' "$1/metrics.jsonl" "$key" 2>/dev/null)
  f="$1/checkpoints/step-$step.safetensors"
  if [ -n "$step" ] && [ -f "$f" ]; then echo "$f"; else last_ckpt "$1"; fi
}
