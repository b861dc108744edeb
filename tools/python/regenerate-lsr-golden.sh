#!/usr/bin/env bash
# Regenerates the golden fixtures of @th/models' networks from torch_lsr (the independent PyTorch
# implementation). Development step, not part of setup or CI. Needs Debian's CPU PyTorch
# (apt-get install python3-torch python3-numpy) and a built @th/models dependency tree.
#   bash tools/python/regenerate-lsr-golden.sh PATH/TO/torch_lsr [CASE...]
# CASE defaults to every case in packages/models/src/golden/golden-case.ts.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 PATH/TO/torch_lsr [CASE...]" >&2
  exit 2
fi
torch_lsr=$(cd "$1" && pwd)
shift
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(lsr-64 lsr-64-layout-landmarks lsr-224)
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in "${cases[@]}"; do
  echo "== $c"
  (cd "$root/packages/models" && npm run -s golden:export -- --case "$c" --out "$work/$c")
  /usr/bin/python3 "$root/tools/python/torch_lsr_golden.py" --torch-lsr "$torch_lsr" \
    --case "$work/$c" --out "$root/packages/models/src/golden/__fixtures__/$c.safetensors"
  rm -rf "${work:?}/$c"
done
