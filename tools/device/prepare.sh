#!/usr/bin/env bash
# Collect what the GPU machine needs into .device/ (git-ignored, carried by the device tool):
# the Node binary (xz), Dawn for Node (from the npm package `webgpu`), the Vulkan loader, and the
# wasm binaries of tfjs-backend-wasm.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .device
[ -f .device/node.xz ] || xz -T2 -c "$(command -v node)" > .device/node.xz
if [ ! -f .device/webgpu.tar.xz ]; then
  tmp=$(mktemp -d); mkdir -p "$tmp/node_modules/webgpu/dist/linux-x64"
  cp node_modules/webgpu/{index.js,package.json} "$tmp/node_modules/webgpu/"
  cp node_modules/webgpu/dist/linux-x64/dawn.node "$tmp/node_modules/webgpu/dist/linux-x64/"
  tar -C "$tmp" -cJf .device/webgpu.tar.xz node_modules
fi
ls .device/libvulkan1_*.deb >/dev/null 2>&1 || (cd .device && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm .device/
ls -la .device
