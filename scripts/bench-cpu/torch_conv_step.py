"""PyTorch side of the CPU bench: a 3x3 'same' conv training step (forward + both gradients).

The same computation as @th's conv bench: the gradients of sum(conv2d(x, w) * r) with respect to
x and w, float32. Prints one JSON line: medians of wall and process CPU time per phase.

Usage: python3 torch_conv_step.py --threads 2 [--n 4 --size 64 --cin 64 --cout 64 --reps 10]
"""
import argparse
import json

import torch
import torch.nn.functional as F

from bench_timing import timed

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, required=True)
ap.add_argument('--n', type=int, default=4)
ap.add_argument('--size', type=int, default=64)
ap.add_argument('--cin', type=int, default=64)
ap.add_argument('--cout', type=int, default=64)
ap.add_argument('--reps', type=int, default=10)
ap.add_argument('--channels-last', action='store_true', help='NHWC memory format')
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
fmt = torch.channels_last if a.channels_last else torch.contiguous_format
x = torch.randn(a.n, a.cin, a.size, a.size).contiguous(memory_format=fmt)
w = (torch.randn(a.cout, a.cin, 3, 3) * 0.05).contiguous(memory_format=fmt)
r = torch.randn(a.n, a.cout, a.size, a.size).contiguous(memory_format=fmt)


def forward():
    with torch.no_grad():
        F.conv2d(x, w, padding=1)


def step():
    xg = x.detach().requires_grad_(True)
    wg = w.detach().requires_grad_(True)
    loss = (F.conv2d(xg, wg, padding=1) * r).sum()
    gx, gw = torch.autograd.grad(loss, [xg, wg])
    return gx, gw


flop = 2 * a.n * a.size * a.size * a.cin * a.cout * 9
print(json.dumps({'torch': torch.__version__, 'threads': a.threads, 'flop_forward': flop,
                  'forward': timed(forward, a.reps, 2), 'step': timed(step, a.reps, 2)}))
