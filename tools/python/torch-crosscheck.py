#!/usr/bin/env python3
"""Cross-check the LPIPS and FID golden fixtures against PyTorch's own network definitions.

The fixtures (src/__fixtures__/golden-lpips.json, golden-fid-inception.json) come from an
independent NumPy forward pass (tools/python/golden-networks.py) that the TypeScript tests match. This
script loads the same deterministic weights into torchvision's `alexnet().features` and
`inception_v3()` (with pytorch-fid's changes to the Inception blocks: average pools that do not
count padding, and a max pool in the last block), computes the same quantities in float64 and
prints the largest relative difference. It needs torch, torchvision, numpy and Pillow:

    python3 tools/python/golden-networks.py --weights-out /tmp/w
    python3 tools/python/torch-crosscheck.py /tmp/w
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
# TH_FIXTURES: compare with a saved copy of the committed fixtures (golden-networks.py rewrites them).
FIXTURES = os.environ.get('TH_FIXTURES', os.path.join(HERE, '..', '..', 'packages', 'metrics', 'src', '__fixtures__'))
torch.set_default_dtype(torch.float64)


def rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-3))


def frame(weights_dir, key):
    return np.load(os.path.join(weights_dir, f'frame-{key}.npy'))


def to_signed(img):  # HWC uint8 -> NCHW in [-1, 1]
    return torch.from_numpy(img.transpose(2, 0, 1).astype(np.float64) / 127.5 - 1)[None]


def lpips_distance(features, heads, x0, x1):
    shift = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1)
    scale = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)
    taps = []
    for x in (x0, x1):
        h, out = (x - shift) / scale, []
        for i, layer in enumerate(features):
            h = layer(h)
            if i in (1, 4, 7, 9, 11):  # the five ReLUs
                out.append(h / (h.pow(2).sum(1, keepdim=True).sqrt() + 1e-10))
        taps.append(out)
    layers = [float((heads[n] * (a - b) ** 2).sum(1).mean()) for n, (a, b) in enumerate(zip(*taps))]
    return sum(layers), layers


def check_lpips(weights_dir):
    w = load_file(os.path.join(weights_dir, 'lpips-deterministic.safetensors'))
    features = torchvision.models.alexnet(weights=None).features.double().eval()
    features.load_state_dict({k[len('features.'):]: v.double() for k, v in w.items()
                              if k.startswith('features.')})
    heads = [w[f'lin{n}.model.1.weight'].double().view(1, -1, 1, 1) for n in range(5)]
    golden = json.load(open(os.path.join(FIXTURES, 'golden-lpips.json')))
    worst = 0.0
    for p in golden['pairs']:
        a, b = frame(weights_dir, p['a']), frame(weights_dir, p['b'])
        if p['crop64']:
            (r0, r1), (c0, c1) = golden['crop64']['rows'], golden['crop64']['cols']
            a, b = a[r0:r1, c0:c1], b[r0:r1, c0:c1]
        with torch.no_grad():
            total, layers = lpips_distance(features, heads, to_signed(a), to_signed(b))
        err = max(rel(total, p['distance']), rel(layers, p['perLayer']))
        worst = max(worst, err)
        print(f"LPIPS {p['a']}/{p['b']}{' crop64' if p['crop64'] else ''}: torch {total:.8f} "
              f"numpy {p['distance']:.8f} rel {err:.2e}")
    return worst


def fid_inception(weights_dir):
    net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)
    state = load_file(os.path.join(weights_dir, 'fid-inception-deterministic.safetensors'))
    missing, unexpected = net.load_state_dict({k: v.double() for k, v in state.items()}, strict=False)
    assert not unexpected, unexpected
    assert all(k.startswith('fc.') or k.endswith('num_batches_tracked') for k in missing), missing

    def pooled(x):  # pytorch-fid: average pool without counting the padding
        return F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)

    def block_a(m, x):
        b3 = m.branch3x3dbl_3(m.branch3x3dbl_2(m.branch3x3dbl_1(x)))
        return torch.cat([m.branch1x1(x), m.branch5x5_2(m.branch5x5_1(x)), b3,
                          m.branch_pool(pooled(x))], 1)

    def block_c(m, x):
        b7 = m.branch7x7_3(m.branch7x7_2(m.branch7x7_1(x)))
        d = x
        for layer in (m.branch7x7dbl_1, m.branch7x7dbl_2, m.branch7x7dbl_3, m.branch7x7dbl_4,
                      m.branch7x7dbl_5):
            d = layer(d)
        return torch.cat([m.branch1x1(x), b7, d, m.branch_pool(pooled(x))], 1)

    def block_e(m, x, pool):
        b3 = m.branch3x3_1(x)
        d = m.branch3x3dbl_2(m.branch3x3dbl_1(x))
        return torch.cat([m.branch1x1(x), m.branch3x3_2a(b3), m.branch3x3_2b(b3),
                          m.branch3x3dbl_3a(d), m.branch3x3dbl_3b(d), m.branch_pool(pool(x))], 1)

    def forward(x):
        for layer in (net.Conv2d_1a_3x3, net.Conv2d_2a_3x3, net.Conv2d_2b_3x3, net.maxpool1,
                      net.Conv2d_3b_1x1, net.Conv2d_4a_3x3, net.maxpool2):
            x = layer(x)
        for m in (net.Mixed_5b, net.Mixed_5c, net.Mixed_5d):
            x = block_a(m, x)
        x = net.Mixed_6a(x)
        for m in (net.Mixed_6b, net.Mixed_6c, net.Mixed_6d, net.Mixed_6e):
            x = block_c(m, x)
        x = net.Mixed_7a(x)
        x = block_e(net.Mixed_7b, x, pooled)
        x = block_e(net.Mixed_7c, x, lambda t: F.max_pool2d(t, 3, 1, 1))
        return x.mean((2, 3))[0].numpy()

    return net.double().eval(), forward


def check_fid(weights_dir):
    _, forward = fid_inception(weights_dir)
    golden = json.load(open(os.path.join(FIXTURES, 'golden-fid-inception.json')))
    cases = []
    s = golden['small']
    (r0, r1), (c0, c1) = s['rows'], s['cols']
    cases.append(('small', frame(weights_dir, s['frame'])[r0:r1, c0:c1], s['pool3']))
    for f in golden['full']:  # 224 -> 299 with Pillow's own bicubic (the spec's resize)
        img = np.asarray(Image.fromarray(frame(weights_dir, f['frame'])).resize((299, 299),
                                                                               Image.BICUBIC))
        cases.append((f"full {f['frame']}", img, f['pool3']))
    worst = 0.0
    for name, img, ref in cases:
        with torch.no_grad():
            v = forward(to_signed(img))
        i = np.arange(v.size)
        err = max(rel(v[:64], ref['first64']), rel(v.sum(), ref['sum']),
                  rel((v * v).sum(), ref['sumSquares']),
                  rel((v * np.cos(0.37 * i)).sum(), ref['cosineWeighted']))
        worst = max(worst, err)
        print(f'FID pool3 {name}: sum torch {v.sum():.6f} numpy {ref["sum"]:.6f} rel {err:.2e}')
    return worst


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    worst = max(check_lpips(sys.argv[1]), check_fid(sys.argv[1]))
    print(f'worst relative difference torch vs numpy golden: {worst:.2e}')
    sys.exit(0 if worst < 1e-6 else 1)
