#!/usr/bin/env python3
"""Independent numpy reference for @th/features' VGG-Face network (vgg-face-network.ts).

Builds VGG-Face (VGG16 layout: 13 3x3 'same' convs + ReLU, 2x2 max-pools, flatten in channels-last
order, fc6/fc7 4096 + ReLU, fc8 2622 logits) with DETERMINISTIC weights that the TypeScript test
computes by the same formula, runs it on a deterministic image in float64, and writes checksums
to packages/features/src/__fixtures__/vggface-golden.json.

Weight formula, over the flattened Keras-layout tensor (conv HWIO [3,3,in,out], dense [in,out]),
layer index L = 0..15 in the order conv1_1 ... conv5_3, fc6, fc7, fc8:
    kernel[i] = (hash(i, L) / 2^32 - 0.5) * sqrt(24 / fan_in)      (fan_in = 9*in or in)
    bias[j]   = 2 * cos(0.3 * j + 1.3 * L)
both rounded to float32 (what the tfjs side stores). hash is a 32-bit integer mix (exact in numpy
uint64 and in JS Math.imul), so both sides get bit-identical weights; uniform weights of variance
2/fan_in keep activations O(input) through ReLUs (He). A plain sin(a*i + b) is NOT used: along any
stride it is a pure sinusoid, whose sums over smooth inputs cancel, so fc8 came out ~ its bias and
the image barely mattered (measured). Image (RGB in [-1, 1]), y/x/c = row/column/channel:
    x[y, x, c] = 0.9 * sin(0.11 * x + 0.07 * (c + 1) * y + c)

Needs only numpy. Usage: python golden-vggface.py [out.json]
"""
import json
import os
import sys

import numpy as np

CONVS = [("conv1_1", 3, 64), ("conv1_2", 64, 64), ("conv2_1", 64, 128), ("conv2_2", 128, 128),
         ("conv3_1", 128, 256), ("conv3_2", 256, 256), ("conv3_3", 256, 256),
         ("conv4_1", 256, 512), ("conv4_2", 512, 512), ("conv4_3", 512, 512),
         ("conv5_1", 512, 512), ("conv5_2", 512, 512), ("conv5_3", 512, 512)]
LOSS_LAYERS = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]
MEANS = {"imagenet": (103.939, 116.779, 123.68), "vggface": (93.5940, 104.7624, 129.1863)}


M32 = np.uint64(0xFFFFFFFF)


def hash32(i, layer_index):
    """32-bit mix of (index, layer): h = i*0x9E3779B1 ^ (L+1)*0x85EBCA6B; h ^= h>>16; h *= 0x7FEB352D; h ^= h>>15."""
    h = ((i * np.uint64(0x9E3779B1)) & M32) ^ np.uint64(((layer_index + 1) * 0x85EBCA6B) & 0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x7FEB352D)) & M32
    h ^= h >> np.uint64(15)
    return h


def kernel(layer_index, shape, fan_in):
    i = np.arange(int(np.prod(shape)), dtype=np.uint64)
    w = (hash32(i, layer_index).astype(np.float64) / 4294967296.0 - 0.5) * np.sqrt(24.0 / fan_in)
    return w.astype(np.float32).astype(np.float64).reshape(shape)


def bias(layer_index, n):
    j = np.arange(n, dtype=np.float64)
    return (2.0 * np.cos(0.3 * j + 1.3 * layer_index)).astype(np.float32).astype(np.float64)


def image(size):
    y, x, c = np.meshgrid(np.arange(size), np.arange(size), np.arange(3), indexing="ij")
    img = 0.9 * np.sin(0.11 * x + 0.07 * (c + 1) * y + c)
    return img.astype(np.float32).astype(np.float64)


def conv3x3_same(x, w, b):
    h, wd, cin = x.shape
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    # im2col in (kh, kw, cin) order = the row order of the HWIO kernel reshaped to [9*cin, cout].
    cols = np.stack([p[dy:dy + h, dx:dx + wd, :] for dy in range(3) for dx in range(3)], axis=2)
    return cols.reshape(h * wd, 9 * cin) @ w.reshape(9 * cin, -1) + b


def forward(size, mean):
    x = image(size)
    x = (x + 1.0) * 127.5
    x = x[..., ::-1] - np.array(MEANS[mean])  # RGB -> BGR, minus the BGR mean
    captured, block = {}, 1
    for layer_index, (name, cin, cout) in enumerate(CONVS):
        b_num = int(name[4])
        if b_num != block:
            x = maxpool2(x)
            block = b_num
        h, w = x.shape[:2]
        x = np.maximum(conv3x3_same(x, kernel(layer_index, (3, 3, cin, cout), 9 * cin), bias(layer_index, cout)), 0)
        x = x.reshape(h, w, cout)
        if name in LOSS_LAYERS:
            captured[name] = x
    x = maxpool2(x).reshape(-1)  # channels-last flatten, as Keras Flatten on NHWC
    dims = [x.size, 4096, 4096, 2622]
    for k in range(3):
        layer_index = 13 + k
        x = x @ kernel(layer_index, (dims[k], dims[k + 1]), dims[k]) + bias(layer_index, dims[k + 1])
        if k < 2:
            x = np.maximum(x, 0)
    return captured, x


def maxpool2(x):
    h, w, c = x.shape
    return x.reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


def case(size, mean):
    captured, fc8 = forward(size, mean)
    return {
        "inputSize": size,
        "mean": mean,
        "fc8First32": fc8[:32].tolist(),
        "fc8Sum": float(fc8.sum()),
        "fc8SumSquares": float((fc8 ** 2).sum()),
        "fc8MaxAbs": float(np.abs(fc8).max()),
        "convs": {name: {"shape": list(a.shape), "sum": float(a.sum()), "sumSquares": float((a ** 2).sum()),
                         "fractionPositive": float((a > 0).mean())} for name, a in captured.items()},
    }


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "packages", "features", "src", "__fixtures__", "vggface-golden.json")
    cases = [case(32, "imagenet"), case(32, "vggface"), case(224, "imagenet")]
    with open(out, "w") as f:
        json.dump({"generator": "tools/python/golden-vggface.py", "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {out}")
