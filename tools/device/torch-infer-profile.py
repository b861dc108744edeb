"""GPU time of one PyTorch batch-1 inference frame (torch_lsr, cached latents), kernel by kernel.

Issue #16 compares @th's batch-1 frames/s with PyTorch fp32 eager. This says how much of
PyTorch's frame is GPU work and how much is launch overhead, so @th's profile (gpu-bench's
"By call" table) can be read beside it. Run from the torch_lsr folder:

    python3 torch-infer-profile.py --preset lsr-224 --dtype fp32 --json out.json
"""
import argparse, json, time
import torch
from torch.profiler import ProfilerActivity, profile
from lsr import LSR, make_config

ap = argparse.ArgumentParser()
ap.add_argument('--preset', default='lsr-224')
ap.add_argument('--dtype', default='fp32', choices=['fp32', 'bf16'])
ap.add_argument('--json', default='')
a = ap.parse_args()
torch.backends.cudnn.benchmark = True
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
cfg = make_config(a.preset)
m = LSR(cfg).cuda().eval()
R = cfg.resolution
with torch.no_grad():
    zs, zl = m.encode(torch.randn(1, 4, 6, R, R, device='cuda'))
    lmk = torch.randn(1, 3, R, R, device='cuda')

    def frame():
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=a.dtype == 'bf16'):
            _, prob, _ = m.layout(lmk, zl)
            return m.synthesize(zs, prob, lmk)

    for _ in range(10): frame()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(50): frame()
    torch.cuda.synchronize()
    wall_ms = (time.perf_counter() - t) / 50 * 1000
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        frame(); torch.cuda.synchronize()
events = [e for e in prof.key_averages() if e.device_time_total > 0]
kernels = sum(e.count for e in events)
gpu_ms = sum(e.device_time_total for e in events) / 1000
top = sorted(events, key=lambda e: -e.device_time_total)[:15]
res = dict(preset=a.preset, dtype=a.dtype, wall_ms=wall_ms, gpu_ms=gpu_ms, kernels=kernels,
           top=[dict(name=e.key[:90], count=e.count, ms=e.device_time_total / 1000) for e in top])
print(json.dumps(res))
if a.json:
    with open(a.json, 'w') as f: json.dump(res, f, indent=1)
