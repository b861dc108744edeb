#!/usr/bin/env bash
# Set up a fresh machine for @th: the Debian packages the tools and tests use, then the npm
# workspace from the lockfile. Everything comes from Debian's archive and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, installed only when missing: ffmpeg (video decode/encode, ffprobe in tests)
# and chromium (the demo's browser test drives it headless through playwright-core).
# Regenerating the metric golden files additionally needs python3-skimage and python3-scipy.
need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ "${TH_SETUP_SKIP_APT:-0}" != 1 ] && [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "setup: please install Debian packages: ${need[*]} (sudo apt-get install ${need[*]})" >&2
  fi
fi

# `npm install` with the committed lockfile (not `npm ci`): npm 11.19's `npm ci` rejects lockfiles
# that, as npm itself writes them here, omit other platforms' optional binaries (biome, rollup,
# esbuild), reporting them "missing from lock file".
npm install --no-audit --no-fund
