"""Golden output of arcface_torch's IResNet for the tfjs port (src/identity/iresnet.ts).

An independent float64 NumPy implementation of IResNet's eval-mode forward pass, written from the
PyTorch architecture (insightface recognition/arcface_torch/backbones/iresnet.py), with
deterministic weights from a formula that src/identity/iresnet.golden.test.ts evaluates too:

  k = index of the parameter in state_dict order (int64 num_batches_tracked left out)
  i = index into the parameter flattened in PyTorch layout (C order)
  phi = 0.7 * i + 1.3 * k
  conv weight 0.05 sin(phi); fc weight 0.01 sin(phi); fc bias 0.1 sin(phi)
  prelu 0.25 + 0.1 sin(phi)
  BN weight 1 + 0.1 sin(phi), bias 0.1 sin(phi), running_mean 0.1 sin(phi),
     running_var 1 + 0.5 sin(phi)
  every value rounded to float32 (what a float32 checkpoint holds)
  input x[0, c, h, w] = 0.9 sin(0.05 h + 0.09 w + 1.7 c), rounded to float32 (NCHW, already
  normalised as (rgb/255 - 0.5)/0.5)

Reduced depth [1, 1, 1, 1] keeps the test fast; the code path per block is the same as in
iresnet50/100. Run: python3 tools/python/golden-arcface.py  (NumPy only; no torch needed)
Writes src/__fixtures__/golden-arcface.json.
"""

import json
import pathlib

import numpy as np

LAYERS = [1, 1, 1, 1]
WIDTHS = [64, 128, 256, 512]
EPS = 1e-5


def parameters(layers, num_features=512):
    """(name, shape, role) in PyTorch state_dict order."""
    out = []

    def bn(prefix, c):
        for f in ("weight", "bias", "running_mean", "running_var"):
            out.append((f"{prefix}.{f}", (c,), "bn"))

    out.append(("conv1.weight", (64, 3, 3, 3), "conv"))
    bn("bn1", 64)
    out.append(("prelu.weight", (64,), "prelu"))
    inplanes = 64
    for s, blocks in enumerate(layers):
        planes = WIDTHS[s]
        for j in range(blocks):
            p = f"layer{s + 1}.{j}"
            cin = inplanes if j == 0 else planes
            bn(f"{p}.bn1", cin)
            out.append((f"{p}.conv1.weight", (planes, cin, 3, 3), "conv"))
            bn(f"{p}.bn2", planes)
            out.append((f"{p}.prelu.weight", (planes,), "prelu"))
            out.append((f"{p}.conv2.weight", (planes, planes, 3, 3), "conv"))
            bn(f"{p}.bn3", planes)
            if j == 0:
                out.append((f"{p}.downsample.0.weight", (planes, cin, 1, 1), "conv"))
                bn(f"{p}.downsample.1", planes)
        inplanes = planes
    bn("bn2", 512)
    out.append(("fc.weight", (num_features, 512 * 49), "fc"))
    out.append(("fc.bias", (num_features,), "fc"))
    bn("features", num_features)
    return out


def value(name, role, shape, k):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    s = np.sin(0.7 * i + 1.3 * k)
    field = name.rsplit(".", 1)[1]
    if role == "conv":
        v = 0.05 * s
    elif role == "fc":
        v = 0.01 * s if field == "weight" else 0.1 * s
    elif role == "prelu":
        v = 0.25 + 0.1 * s
    else:
        v = {"weight": 1 + 0.1 * s, "bias": 0.1 * s, "running_mean": 0.1 * s,
             "running_var": 1 + 0.5 * s}[field]
    return v.astype(np.float32).astype(np.float64).reshape(shape)


def conv(x, w, stride, pad):
    """Cross-correlation like torch.nn.functional.conv2d; x [C, H, W], w [O, C, kh, kw]."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))
    win = win[:, ::stride, ::stride]
    return np.tensordot(w, win, axes=([1, 2, 3], [0, 3, 4]))


def batch_norm(x, P, prefix):
    shape = (-1,) + (1,) * (x.ndim - 1)
    g, b, m, v = (P[f"{prefix}.{f}"].reshape(shape)
                  for f in ("weight", "bias", "running_mean", "running_var"))
    return (x - m) / np.sqrt(v + EPS) * g + b


def prelu(x, a):
    return np.where(x > 0, x, a.reshape(-1, 1, 1) * x)


def forward(x, P, layers):
    x = prelu(batch_norm(conv(x, P["conv1.weight"], 1, 1), P, "bn1"), P["prelu.weight"])
    for s, blocks in enumerate(layers):
        for j in range(blocks):
            p = f"layer{s + 1}.{j}"
            stride = 2 if j == 0 else 1
            out = batch_norm(x, P, f"{p}.bn1")
            out = conv(out, P[f"{p}.conv1.weight"], 1, 1)
            out = prelu(batch_norm(out, P, f"{p}.bn2"), P[f"{p}.prelu.weight"])
            out = batch_norm(conv(out, P[f"{p}.conv2.weight"], stride, 1), P, f"{p}.bn3")
            if j == 0:
                x = batch_norm(conv(x, P[f"{p}.downsample.0.weight"], stride, 0), P,
                               f"{p}.downsample.1")
            x = out + x
    x = batch_norm(x, P, "bn2").reshape(-1)  # torch.flatten of C, H, W
    x = P["fc.weight"] @ x + P["fc.bias"]
    return batch_norm(x, P, "features")


def main():
    P = {name: value(name, role, shape, k)
         for k, (name, shape, role) in enumerate(parameters(LAYERS))}
    c, h, w = np.meshgrid(np.arange(3), np.arange(112), np.arange(112), indexing="ij")
    x = (0.9 * np.sin(0.05 * h + 0.09 * w + 1.7 * c)).astype(np.float32).astype(np.float64)
    y = forward(x, P, LAYERS)
    out = pathlib.Path(__file__).resolve().parents[2] / "packages/metrics/src/__fixtures__/golden-arcface.json"
    out.write_text(json.dumps({
        "generator": "tools/python/golden-arcface.py (float64 NumPy reference of arcface_torch IResNet)",
        "numpy": np.__version__,
        "layers": LAYERS,
        "parameters": len(P),
        "output": [float(f"{v:.9g}") for v in y],
    }) + "\n")
    print(f"wrote {out}: |y| = {np.linalg.norm(y):.6g}, y[:4] = {y[:4]}")


if __name__ == "__main__":
    main()
