#!/usr/bin/env bash
# The main job on built-in defaults: build the packages, then reenact a bundled sample identity with
# the bundled model (scripts/main-job.mjs). Extra arguments go to main-job.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
npx turbo run build --filter=@th/infer... --filter=@th/metrics --output-logs=errors-only
node scripts/main-job.mjs "$@"
