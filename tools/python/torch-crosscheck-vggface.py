#!/usr/bin/env python3
"""Cross-check the VGG-Face golden fixture against torchvision's VGG16.

packages/features/src/__fixtures__/vggface-golden.json comes from an independent NumPy forward pass
(golden-vggface.py) that the TypeScript test matches. This script builds torchvision's
`vgg16(num_classes=2622)` (the VGG-Face layout), loads the same deterministic weights after
converting them from the Keras layout the project's converter reads (conv HWIO -> OIHW, dense
[in, out] -> [out, in], and fc6's rows from Keras' channels-last flatten order to PyTorch's
channels-first one), runs it in float64 and prints the largest relative difference. Needs torch,
torchvision and numpy:

    python3 tools/python/torch-crosscheck-vggface.py
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('golden', os.path.join(HERE, 'golden-vggface.py'))
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)
FIXTURE = os.path.join(HERE, '..', '..', 'packages', 'features', 'src', '__fixtures__', 'vggface-golden.json')
RELU_OF = {'conv1_1': 1, 'conv2_1': 6, 'conv3_1': 11, 'conv4_1': 18, 'conv5_1': 25}


def rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-3))


def build(size):
    net = torchvision.models.vgg16(weights=None, num_classes=2622).double().eval()
    convs = [m for m in net.features if isinstance(m, torch.nn.Conv2d)]
    for k, (conv, (_, cin, cout)) in enumerate(zip(convs, golden.CONVS)):
        w = golden.kernel(k, (3, 3, cin, cout), 9 * cin)
        conv.weight.data = torch.from_numpy(w.transpose(3, 2, 0, 1).copy())
        conv.bias.data = torch.from_numpy(golden.bias(k, cout))
    side = size // 32
    flat = side * side * 512
    net.avgpool = torch.nn.Identity()  # pool5 is already side x side; no adaptive resampling
    linears = [torch.nn.Linear(flat, 4096), net.classifier[3], net.classifier[6]]
    net.classifier[0] = linears[0].double()
    dims = [flat, 4096, 4096, 2622]
    for k, linear in enumerate(linears):
        w = golden.kernel(13 + k, (dims[k], dims[k + 1]), dims[k])
        if k == 0:  # Keras rows are (h, w, c)-ordered; PyTorch flattens (c, h, w)
            w = w.reshape(side, side, 512, 4096).transpose(2, 0, 1, 3).reshape(flat, 4096)
        linear.weight.data = torch.from_numpy(w.T.copy())
        linear.bias.data = torch.from_numpy(golden.bias(13 + k, dims[k + 1]))
    return net


def run(case):
    size, mean = case['inputSize'], case['mean']
    net = build(size)
    x = (golden.image(size) + 1.0) * 127.5
    x = x[..., ::-1] - np.array(golden.MEANS[mean])  # RGB -> BGR, minus the mean
    taps = {}
    for name, index in RELU_OF.items():
        net.features[index].register_forward_hook(
            lambda _m, _i, out, name=name: taps.__setitem__(name, out.clone()))
    with torch.no_grad():
        fc8 = net(torch.from_numpy(x.transpose(2, 0, 1).copy())[None])[0].numpy()
    err = max(rel(fc8[:32], case['fc8First32']), rel(fc8.sum(), case['fc8Sum']),
              rel((fc8 ** 2).sum(), case['fc8SumSquares']))
    for name, ref in case['convs'].items():
        a = taps[name][0].numpy()
        err = max(err, rel(a.sum(), ref['sum']), rel((a ** 2).sum(), ref['sumSquares']))
    print(f'VGG-Face {size}x{size} ({mean} mean): fc8 sum torch {fc8.sum():.6f} '
          f"numpy {case['fc8Sum']:.6f}; worst rel {err:.2e}")
    return err


if __name__ == '__main__':
    worst = max(run(case) for case in json.load(open(FIXTURE))['cases'])
    print(f'worst relative difference torch vs numpy golden: {worst:.2e}')
    sys.exit(0 if worst < 1e-6 else 1)
