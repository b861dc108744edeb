"""PyTorch side of the CPU bench: LSR training step and inference with an independent PyTorch
implementation of LSR (the `torch_lsr` instrument; its folder is passed with --lsr-dir).

  --what train   one stage-2 step, batch 4, K 4, R1 + R2 every step, no perceptual losses,
                 G step then D step (torch_lsr's 'gd' schedule, as @th's Stage2Trainer does)
  --what infer   one frame from cached latents: G^l, softmax, G^I at batch 1

--preset lsr-64 builds torch_lsr's small-64 preset with @th's lsr-64 widths and depths (base
width 8, SPADE hidden 16, 6 encoder / 5 generator / 6 discriminator stages), so both sides run
the same network; the parameter counts are printed so the caller can check that. lsr-224 is
torch_lsr's own preset (the same parameter counts as @th's, docs/design.md#parameter-counts).

Prints one JSON line: parameter counts and medians of wall and process-CPU milliseconds.
"""
import argparse
import json
import os
import sys

ap = argparse.ArgumentParser()
ap.add_argument('--lsr-dir', required=True, help='folder of torch_lsr (lsr.py, bench_step.py)')
ap.add_argument('--what', choices=('train', 'infer'), required=True)
ap.add_argument('--preset', choices=('lsr-64', 'lsr-224'), required=True)
ap.add_argument('--threads', type=int, required=True)
ap.add_argument('--reps', type=int, default=10)
ap.add_argument('--warmup', type=int, default=2)
a = ap.parse_args()
if not os.path.isfile(os.path.join(a.lsr_dir, 'lsr.py')):
    sys.exit(f'--lsr-dir {a.lsr_dir}: no lsr.py there (expected the torch_lsr folder)')
sys.path.insert(0, os.path.abspath(a.lsr_dir))

import torch  # noqa: E402

import bench_step  # noqa: E402
from bench_timing import timed  # noqa: E402
from lsr import LSR, count_params, make_config  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(0)
if a.preset == 'lsr-64':
    cfg = make_config('small-64', e_nf=8, gl_nf=8, gi_nf=8, d_nf=8, spade_hidden=16,
                      e_downs=6, gl_levels=5, gi_ups=5, d_downs=6)
else:
    cfg = make_config('lsr-224')
model = LSR(cfg)
params = {n: count_params(getattr(model, n)) for n in ('Es', 'El', 'Gl', 'GI', 'D')}



if a.what == 'train':
    args = bench_step.parse_args(['--preset', 'small-64', '--batch', '4', '--K', '4',
                                  '--schedule', 'gd', '--threads', str(a.threads),
                                  '--no-count-flops'])
    dev = torch.device('cpu')
    step = bench_step.Step(args, model, [], dev, torch.contiguous_format)
    timer = bench_step.SegTimer(dev)

    def run():
        timer.start()
        step.run(timer)
        timer.stop()
else:
    model.eval()
    r = cfg.resolution
    with torch.no_grad():
        zs, zl = model.encode(torch.rand(1, 4, 6, r, r) * 2 - 1)
    landmarks = torch.rand(1, 3, r, r) * 2 - 1

    def run():
        with torch.no_grad():
            _, prob, _ = model.layout(landmarks, zl)
            model.synthesize(zs, prob, landmarks)

print(json.dumps({'torch': torch.__version__, 'what': a.what, 'preset': a.preset,
                  'threads': a.threads, 'params': params, **timed(run, a.reps, a.warmup)}))
