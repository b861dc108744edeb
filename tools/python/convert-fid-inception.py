#!/usr/bin/env python3
"""Write the FID Inception-v3 weights as a safetensors file for @th/metrics.

Needs torch and safetensors (pip install torch safetensors). Input: pytorch-fid's port of the
TensorFlow 2015-12-05 FID graph, `pt_inception-2015-12-05-6726825d.pth`
(github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth).

    python convert-fid-inception.py pt_inception-2015-12-05-6726825d.pth fid-inception.safetensors

Every floating-point tensor is kept under its PyTorch name (Conv2d_1a_3x3.conv.weight,
Mixed_5b.branch1x1.bn.running_var, ..., and the unused classifier fc.*); integer counters
(num_batches_tracked) are dropped. th-eval reads the file with --fid-weights.
"""
import sys

import torch
from safetensors.torch import save_file


def main(pth_path, out_path):
    state = torch.load(pth_path, map_location='cpu')
    tensors = {k: v.detach().float().contiguous() for k, v in state.items()
               if torch.is_floating_point(v)}
    save_file(tensors, out_path, metadata={'source': 'pytorch-fid pt_inception-2015-12-05'})
    print(f'wrote {len(tensors)} tensors to {out_path}')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
