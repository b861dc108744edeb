#!/usr/bin/env python3
"""Cross-check the ArcFace (IResNet) golden fixture with a PyTorch module.

src/__fixtures__/golden-arcface.json comes from a NumPy forward pass (golden-arcface.py) that the
TypeScript test matches. Here the same network is built from torch.nn layers with
arcface_torch's module names (conv1/bn1/prelu, layerN.j.{bn1,conv1,bn2,prelu,conv2,bn3,
downsample.0/1}, bn2, fc, features), the golden script's weights are loaded with
`load_state_dict(strict=True)` (so every name and shape must match), and the output is compared
in float64. Needs torch and numpy:

    python3 tools/python/torch-crosscheck-arcface.py
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('golden', os.path.join(HERE, 'golden-arcface.py'))
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)
FIXTURE = os.path.join(HERE, '..', '..', 'packages', 'metrics', 'src', '__fixtures__', 'golden-arcface.json')


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-5)


class Block(nn.Module):
    def __init__(self, cin, planes, stride, downsample):
        super().__init__()
        self.bn1, self.conv1 = bn(cin), nn.Conv2d(cin, planes, 3, 1, 1, bias=False)
        self.bn2, self.prelu = bn(planes), nn.PReLU(planes)
        self.conv2, self.bn3 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False), bn(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        return out + (self.downsample(x) if self.downsample is not None else x)


class IResNet(nn.Module):
    def __init__(self, layers, num_features=512):
        super().__init__()
        self.conv1, self.bn1, self.prelu = nn.Conv2d(3, 64, 3, 1, 1, bias=False), bn(64), nn.PReLU(64)
        inplanes = 64
        for s, (blocks, planes) in enumerate(zip(layers, golden.WIDTHS)):
            mods = []
            for j in range(blocks):
                down = None
                if j == 0:
                    down = nn.Sequential(nn.Conv2d(inplanes, planes, 1, 2, bias=False), bn(planes))
                mods.append(Block(inplanes if j == 0 else planes, planes, 2 if j == 0 else 1, down))
            setattr(self, f'layer{s + 1}', nn.Sequential(*mods))
            inplanes = planes
        self.bn2 = bn(512)
        self.fc = nn.Linear(512 * 49, num_features)
        self.features = nn.BatchNorm1d(num_features, eps=1e-5)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.features(self.fc(torch.flatten(self.bn2(x), 1)))


if __name__ == '__main__':
    ref = json.load(open(FIXTURE))
    net = IResNet(ref['layers']).double().eval()
    state = {name: torch.from_numpy(golden.value(name, role, shape, k))
             for k, (name, shape, role) in enumerate(golden.parameters(ref['layers']))}
    state.update({k: v for k, v in net.state_dict().items() if k.endswith('num_batches_tracked')})
    net.load_state_dict(state, strict=True)
    c, h, w = np.meshgrid(np.arange(3), np.arange(112), np.arange(112), indexing='ij')
    x = (0.9 * np.sin(0.05 * h + 0.09 * w + 1.7 * c)).astype(np.float32).astype(np.float64)
    with torch.no_grad():
        y = net(torch.from_numpy(x)[None])[0].numpy()
    out = np.asarray(ref['output'])
    err = float(np.abs(y - out).max() / np.abs(out).max())
    print(f"ArcFace IResNet {ref['layers']}: {len(state)} state-dict entries loaded strictly; "
          f'|y| torch {np.linalg.norm(y):.6f} numpy {np.linalg.norm(out):.6f}; max rel {err:.2e}')
    sys.exit(0 if err < 1e-7 else 1)
