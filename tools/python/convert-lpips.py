#!/usr/bin/env python3
"""Write LPIPS v0.1 (AlexNet, lin) weights as one safetensors file for @th/metrics.

Needs torch and safetensors (pip install torch safetensors). Inputs:
  - lpips' linear heads, `alex.pth` (github.com/richzhang/PerceptualSimilarity,
    lpips/weights/v0.1/alex.pth, or site-packages/lpips/weights/v0.1/alex.pth after
    `pip install lpips`): keys lin0..lin4.model.1.weight, shape [1, C, 1, 1];
  - torchvision's ImageNet AlexNet (`alexnet-owt-7be5be79.pth`, as torchvision downloads it to
    ~/.cache/torch/hub/checkpoints/): keys features.{0,3,6,8,10}.{weight,bias}.

    python convert-lpips.py alex.pth alexnet-owt-7be5be79.pth lpips-alex-v0.1.safetensors

The output keeps the PyTorch names and layouts; th-eval reads it with --lpips-weights.
"""
import sys

import torch
from safetensors.torch import save_file

FEATURES = [0, 3, 6, 8, 10]  # the convolutions of torchvision's alexnet.features


def main(lin_path, alexnet_path, out_path):
    lin = torch.load(lin_path, map_location='cpu')
    trunk = torch.load(alexnet_path, map_location='cpu')
    tensors = {}
    for i in FEATURES:
        for p in ('weight', 'bias'):
            tensors[f'features.{i}.{p}'] = trunk[f'features.{i}.{p}']
    for n in range(5):
        tensors[f'lin{n}.model.1.weight'] = lin[f'lin{n}.model.1.weight']
    tensors = {k: v.detach().float().contiguous() for k, v in tensors.items()}
    save_file(tensors, out_path, metadata={'source': 'lpips v0.1 alex + torchvision alexnet'})
    print(f'wrote {len(tensors)} tensors to {out_path}')


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
