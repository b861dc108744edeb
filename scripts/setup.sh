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

# WebGPU without a GPU: Dawn (npm `webgpu`) accepts the software Vulkan driver of Mesa 25
# (lavapipe) from bookworm-backports; Debian 12's own Mesa 22 is rejected. The tests of
# @th/backend's WGSL kernels run on it. Only on Debian 12, only when Mesa < 25 is installed.
lavapipe=0
if grep -qs '^12' /etc/debian_version && command -v dpkg-query >/dev/null 2>&1; then
  mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  if [ -z "$mesa" ] || dpkg --compare-versions "$mesa" lt 25; then lavapipe=1; fi
fi

if [ "${TH_SETUP_SKIP_APT:-0}" != 1 ] && { [ ${#need[@]} -gt 0 ] || [ "$lavapipe" = 1 ]; }; then
  if [ "$(id -u)" = 0 ]; then
    if [ "$lavapipe" = 1 ] &&
      ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo 'deb http://deb.debian.org/debian bookworm-backports main' \
        >/etc/apt/sources.list.d/bookworm-backports.list
    fi
    apt-get update -qq
    if [ ${#need[@]} -gt 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    if [ "$lavapipe" = 1 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
    fi
  else
    if [ ${#need[@]} -gt 0 ]; then
      echo "setup: please install Debian packages: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    fi
    if [ "$lavapipe" = 1 ]; then
      echo "setup: please install Mesa 25 lavapipe for the WebGPU tests: add bookworm-backports to apt's sources, then sudo apt-get install -t bookworm-backports mesa-vulkan-drivers" >&2
    fi
  fi
fi

# `npm install` with the committed lockfile (not `npm ci`): npm 11.19's `npm ci` rejects lockfiles
# that, as npm itself writes them here, omit other platforms' optional binaries (biome, rollup,
# esbuild), reporting them "missing from lock file".
npm install --no-audit --no-fund
