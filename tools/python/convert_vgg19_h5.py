#!/usr/bin/env python3
"""Convert Keras' ImageNet VGG19 weights to the safetensors file @th/features' loadVgg19 reads.

Input: vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 (as downloaded by
keras.applications.VGG19(include_top=False, weights='imagenet'); it lands in ~/.keras/models/).
Output: float32 tensors "block{b}_conv{c}/kernel" [3,3,in,out] and "block{b}_conv{c}/bias" [out]
for the 13 convolutions up to block5_conv1. Needs only h5py and numpy.

Usage: python convert_vgg19_h5.py in.h5 out.safetensors
"""
import sys

import h5py
import numpy as np

from safetensors_io import write_safetensors  # beside this script, which python puts on sys.path

WANTED = [f"block{b}_conv{c}" for b, n in [(1, 2), (2, 2), (3, 4), (4, 4), (5, 1)] for c in range(1, n + 1)]


def read_layers(path):
    tensors = {}
    with h5py.File(path, "r") as f:
        root = f["model_weights"] if "model_weights" in f else f  # full-model files nest weights
        for layer in WANTED:
            group = root[layer]
            for weight_name in group.attrs["weight_names"]:
                name = weight_name.decode() if isinstance(weight_name, bytes) else weight_name
                array = np.asarray(group[name], dtype="<f4")
                # Kernels are 4-D (HWIO, the tfjs conv2d layout already); biases are 1-D.
                kind = "kernel" if array.ndim == 4 else "bias"
                tensors[f"{layer}/{kind}"] = array
    return tensors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    weights = read_layers(sys.argv[1])
    if len(weights) != 2 * len(WANTED):
        sys.exit(f"expected {2 * len(WANTED)} tensors, found {len(weights)}: {sorted(weights)}")
    write_safetensors(weights, sys.argv[2])
    print(f"wrote {len(weights)} tensors to {sys.argv[2]}")
