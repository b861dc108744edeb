"""Convert an insightface arcface_torch backbone checkpoint to safetensors for @th/metrics.

arcface_torch (github.com/deepinsight/insightface, recognition/arcface_torch) publishes its
IResNet backbones as PyTorch state dicts (`backbone.pth`, e.g. ms1mv3_arcface_r50 / r100).
`th-eval --id-embedder arcface --arcface-weights FILE` and `arcFaceEmbedder(FILE)` read them as
safetensors with the same tensor names. This script:

  * loads the state dict on the CPU (weights_only: no code from the file is executed),
  * strips a DistributedDataParallel `module.` prefix if present,
  * drops the int64 BatchNorm `num_batches_tracked` counters (unused at inference),
  * stores every tensor as contiguous float32.

Usage (needs `pip install torch safetensors`):
  python3 tools/python/convert-arcface.py backbone.pth arcface-r100.safetensors

The weights keep their own licence (insightface's pretrained models are for non-commercial
research use); they are never bundled with @th.
"""

import sys

import torch
from safetensors.torch import save_file


def convert(src: str, dst: str) -> None:
    state = torch.load(src, map_location="cpu", weights_only=True)
    if "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    out = {}
    for name, tensor in state.items():
        if name.startswith("module."):
            name = name[len("module."):]
        if name.endswith("num_batches_tracked"):
            continue
        out[name] = tensor.detach().to(torch.float32).contiguous()
    blocks = [sum(1 for n in out if n.startswith(f"layer{s}.") and n.endswith(".conv1.weight"))
              for s in (1, 2, 3, 4)]
    if 0 in blocks or "fc.weight" not in out:
        sys.exit(f"{src}: not an arcface_torch IResNet state dict (blocks per stage {blocks})")
    save_file(out, dst, metadata={"source": src, "architecture": f"IResNet {blocks}"})
    params = sum(t.numel() for t in out.values())
    print(f"wrote {dst}: {len(out)} tensors, {params / 1e6:.1f} M floats, blocks per stage {blocks}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convert-arcface.py backbone.pth out.safetensors")
    convert(sys.argv[1], sys.argv[2])
