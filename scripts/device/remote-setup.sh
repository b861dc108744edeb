# Sourced on the GPU machine at the start of a device run: unpack Node, Dawn and the Vulkan loader.
set -e
dpkg -x .device/libvulkan1_*.deb / && ldconfig
mkdir -p /tmp/th && xz -dc .device/node.xz > /tmp/th/node && chmod +x /tmp/th/node
tar -C .device -xJf .device/webgpu.tar.xz
export PATH=/tmp/th:$PATH
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
