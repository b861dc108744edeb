# Sourced on the GPU machine at the start of a device run: unpack Node, Dawn and the Vulkan loader.
set -e
for f in .device/*.deb; do dpkg -x "$f" /; done; ldconfig
mkdir -p /tmp/th && xz -dc .device/node.xz > /tmp/th/node && chmod +x /tmp/th/node
tar -C .device -xJf .device/webgpu.tar.xz
export PATH=/tmp/th:$PATH
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
