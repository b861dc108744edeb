#!/usr/bin/env python3
"""Convert Keras VGG-Face (VGG16) weights to the safetensors file @th/features' loadVggFace reads.

Accepted inputs (both hold the same Oxford VGG-Face network, Parkhi et al. 2015):
  * keras_vggface's rcmalli_vggface_tf_vgg16.h5 (what VGGFace(model='vgg16') downloads into
    ~/.keras/models/vggface/): layers named conv1_1 ... conv5_3, fc6, fc7, fc8 (Dense).
  * the Keras conversion vgg_face_weights.h5 (Sequential model, auto-named layers; fc6/fc7/fc8 are
    7x7 and 1x1 convolutions): its 16 weighted layers are taken in order.
Output: float32 "<layer>/kernel" and "<layer>/bias" with keras_vggface names; conv kernels HWIO
[3,3,in,out]; dense kernels [in,out] (fc6 [25088,4096], rows in the channels-last flatten order of
pool5, which is what a 7x7x512x4096 conv kernel reshapes to). Needs h5py and numpy.

Usage: python convert-vggface-h5.py in.h5 out.safetensors
"""
import sys

import numpy as np

from safetensors_io import write_safetensors  # beside this script, which python puts on sys.path

CONVS = [f"conv{b}_{c}" for b, n in [(1, 2), (2, 2), (3, 3), (4, 3), (5, 3)] for c in range(1, n + 1)]
DENSE = {"fc6": (25088, 4096), "fc7": (4096, 4096), "fc8": (4096, 2622)}
NAMES = CONVS + list(DENSE)


def layer_arrays(group):
    """(kernel, bias) of one h5 layer group, in the order its weight_names lists them."""
    arrays = []
    for weight_name in group.attrs["weight_names"]:
        name = weight_name.decode() if isinstance(weight_name, bytes) else weight_name
        arrays.append(np.asarray(group[name], dtype="<f4"))
    kernel = next(a for a in arrays if a.ndim > 1)
    bias = next(a for a in arrays if a.ndim == 1)
    return kernel, bias


def read_layers(path):
    import h5py  # only needed here, so the module imports without it

    with h5py.File(path, "r") as f:
        root = f["model_weights"] if "model_weights" in f else f  # full-model files nest weights
        names = [n.decode() if isinstance(n, bytes) else n for n in root.attrs["layer_names"]]
        if all(n in names for n in NAMES):  # keras_vggface: by name
            pairs = [(n, layer_arrays(root[n])) for n in NAMES]
        else:  # Sequential vgg_face_weights.h5: the weighted layers in order
            weighted = [n for n in names if len(root[n].attrs["weight_names"]) > 0]
            if len(weighted) != len(NAMES):
                sys.exit(f"{path}: expected {len(NAMES)} weighted layers, found {len(weighted)}: {weighted}")
            pairs = [(ours, layer_arrays(root[theirs])) for ours, theirs in zip(NAMES, weighted)]
    tensors = {}
    for name, (kernel, bias) in pairs:
        if name in DENSE:
            kernel = kernel.reshape(DENSE[name])  # 7x7x512x4096 / 1x1xCxO conv -> dense, same order
        tensors[f"{name}/kernel"] = kernel
        tensors[f"{name}/bias"] = bias
    return tensors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    weights = read_layers(sys.argv[1])
    write_safetensors(weights, sys.argv[2])
    print(f"wrote {len(weights)} tensors to {sys.argv[2]}")
