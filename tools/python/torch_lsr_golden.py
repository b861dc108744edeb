#!/usr/bin/python3
"""Golden outputs of the five LSR networks from an independent PyTorch implementation.

@th's networks (packages/models) are compared with torch_lsr, a PyTorch implementation of the
same networks written separately from the same design (its own README says how). This script:

1. reads a case written by @th (`npm run golden:export -w @th/models -- --case NAME --out DIR`):
   DIR/weights.safetensors (the @th state dict, @th names and NHWC layouts, the full @th config in
   the metadata) and DIR/inputs.safetensors;
2. builds the torch_lsr model for that config, loads the weights through the name map below
   (strict: every torch parameter filled, every @th tensor used, shapes checked);
3. runs E^s, E^l, G^l, G^I and D in float64 on the inputs and writes the outputs that the test
   `packages/models/src/golden/torch-lsr.golden.test.ts` compares with @th's (see
   docs/design.md#golden-networks).

Usage (Debian's CPU PyTorch: apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tools/python/torch_lsr_golden.py --torch-lsr PATH/TO/torch_lsr \
        --case DIR --out packages/models/src/golden/__fixtures__/NAME.safetensors
or all cases at once: tools/python/regenerate-lsr-golden.sh PATH/TO/torch_lsr
"""
import argparse
import hashlib
import json
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402


def torch_config(lsr, th):
    """The torch_lsr LSRConfig equal to an @th LsrConfig (refuses what torch_lsr cannot build)."""
    enc, gl, gi, d = th["encoder"], th["layoutGenerator"], th["imageGenerator"], th["discriminator"]
    if enc["pooling"] != "average":
        raise SystemExit("torch_lsr builds only average-pooled encoders (this config: %s)" % enc["pooling"])
    if abs(th["normEpsilon"] - lsr.IN_EPS) > 0 or abs(th["leakySlope"] - lsr.LRELU_SLOPE) > 0:
        raise SystemExit("torch_lsr fixes IN eps %g and leaky slope %g" % (lsr.IN_EPS, lsr.LRELU_SLOPE))
    return lsr.make_config(
        "lsr-224",
        resolution=th["resolution"], latent=th["latentDim"],
        e_nf=enc["baseWidth"], e_nf_max=enc["maxWidth"], e_downs=enc["downsamples"],
        gl_nf=gl["baseWidth"], gl_nf_max=gl["maxWidth"], gl_levels=gl["levels"],
        gi_nf=gi["baseWidth"], gi_nf_max=gi["maxWidth"], gi_ups=gi["upsamples"],
        spade_hidden=gi["spadeHidden"], spade_input=gi["spadeInput"],
        d_nf=d["baseWidth"], d_nf_max=d["maxWidth"], d_downs=d["downsamples"],
        num_classes=th["layoutClasses"], aux_rgb=th["auxRgbChannels"],
    )


# @th name -> torch_lsr name, one rule per network; block indices are 1-based in @th's encoders,
# U-Net and D, 0-based in G^I (block0 is torch_lsr's `head`, blockR its `ups.R-1`).
_RESBLOCK = {"conv1": "conv0", "conv2": "conv1", "skip": "skip"}
_UPBLOCK = {"norm1.style": "mod0.dense", "conv1": "conv0", "norm2.style": "mod1.dense",
            "conv2": "conv1", "skip": "skip"}
_SPADE = {"shared": "conv0", "gamma": "gamma", "beta": "beta"}
_SPADEBLOCK = {"norm1": "norm0", "conv1": "conv0", "norm2": "norm1", "conv2": "conv1",
               "normSkip": "skip_norm", "skip": "skip_conv"}


def _inner(mapping, rest):
    """Rename the leading part of `rest` (e.g. 'norm1.shared.weight') by `mapping`."""
    for key in sorted(mapping, key=len, reverse=True):
        if rest == key or rest.startswith(key + "."):
            tail = rest[len(key):]
            head = mapping[key]
            if mapping is _SPADEBLOCK and key.startswith("norm"):
                sub = tail[1:].split(".", 1)
                return head + "." + _SPADE[sub[0]] + "." + sub[1]
            return head + tail
    raise KeyError(rest)


def torch_name(name):
    """Map one @th parameter name to torch_lsr's (raises KeyError for an unknown name)."""
    net, rest = name.split(".", 1)
    if net in ("styleEncoder", "layoutEncoder"):
        prefix = "Es" if net == "styleEncoder" else "El"
        if rest.startswith("stem."):
            return prefix + ".from_rgb." + rest[5:]
        if rest.startswith("fc."):
            return prefix + "." + rest
        m = re.match(r"block(\d+)\.(.*)", rest)
        return "%s.blocks.%d.%s" % (prefix, int(m.group(1)) - 1, _inner(_RESBLOCK, m.group(2)))
    if net == "layoutGenerator":
        if rest.startswith("out."):
            return "Gl." + rest
        m = re.match(r"(down|up)(\d+)\.(.*)", rest)
        if m.group(1) == "down":
            return "Gl.enc.%d.%s" % (int(m.group(2)) - 1, _inner(_RESBLOCK, m.group(3)))
        return "Gl.dec.%d.%s" % (int(m.group(2)) - 1, _inner(_UPBLOCK, m.group(3)))
    if net == "imageGenerator":
        if rest.startswith("fc."):
            return "GI." + rest
        if rest.startswith("out."):
            return "GI.to_rgb." + rest[4:]
        m = re.match(r"block(\d+)\.(.*)", rest)
        r = int(m.group(1))
        block = "head" if r == 0 else "ups.%d" % (r - 1)
        return "GI.%s.%s" % (block, _inner(_SPADEBLOCK, m.group(2)))
    if net == "discriminator":
        for th, tn in (("fromRgb.", "from_rgb."), ("conv.", "conv."), ("fc.", "fc."), ("out.", "logit.")):
            if rest.startswith(th):
                return "D." + tn + rest[len(th):]
        m = re.match(r"block(\d+)\.(.*)", rest)
        return "D.blocks.%d.%s" % (int(m.group(1)) - 1, _inner(_RESBLOCK, m.group(2)))
    raise KeyError(name)


def torch_layout(array):
    """@th layouts to torch's: conv [kh, kw, in, out] -> [out, in, kh, kw]; dense [in, out] -> [out, in]."""
    if array.ndim == 4:
        return array.transpose(3, 2, 0, 1)
    if array.ndim == 2:
        return array.T
    return array


def load_weights(model, weights):
    """Strict load of @th weights into `model` by name; raises listing every problem."""
    target = model.state_dict()
    state, problems = {}, []
    for name, array in weights.items():
        try:
            tn = torch_name(name)
        except (KeyError, AttributeError, IndexError):
            problems.append("no torch_lsr name for @th %r" % name)
            continue
        if tn not in target:
            problems.append("@th %r maps to %r, which torch_lsr does not have" % (name, tn))
            continue
        value = torch.from_numpy(np.array(torch_layout(array)))  # a writable copy
        if tuple(value.shape) != tuple(target[tn].shape):
            problems.append("%r -> %r: shape %s != %s" % (name, tn, tuple(value.shape), tuple(target[tn].shape)))
            continue
        if tn in state:
            problems.append("two @th tensors map to %r" % tn)
        state[tn] = value
    problems += ["torch_lsr %r got no @th tensor" % k for k in target if k not in state]
    if problems:
        raise SystemExit("name map failed:\n  " + "\n  ".join(problems))
    model.load_state_dict({k: v.to(target[k].dtype) for k, v in state.items()}, strict=True)


def digest(tensors):
    """SHA-256 as @th's tensorsDigest: sorted names, name bytes, a zero byte, float32 LE values."""
    h = hashlib.sha256()
    for name in sorted(tensors):
        h.update(name.encode("utf-8") + b"\0")
        h.update(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())
    return h.hexdigest()


def nchw(array):
    return torch.from_numpy(np.array(array, dtype=np.float64)).permute(0, 3, 1, 2)


def nhwc(t):
    return t.permute(0, 2, 3, 1).numpy()


def grid(array, stride):
    o = stride // 2
    return array[:, o::stride, o::stride, :]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch-lsr", required=True, help="folder holding torch_lsr's lsr.py")
    parser.add_argument("--case", required=True, help="folder written by golden:export")
    parser.add_argument("--out", required=True, help="fixture file to write (.safetensors)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    if not os.path.isfile(os.path.join(args.torch_lsr, "lsr.py")):
        raise SystemExit("--torch-lsr %s: no lsr.py there" % args.torch_lsr)
    sys.path.insert(0, os.path.abspath(args.torch_lsr))
    import lsr  # noqa: E402  (torch_lsr)

    torch.set_num_threads(args.threads)
    weights, wmeta = read_safetensors(os.path.join(args.case, "weights.safetensors"))
    inputs, imeta = read_safetensors(os.path.join(args.case, "inputs.safetensors"))
    for what, tensors, meta in (("weights", weights, wmeta), ("inputs", inputs, imeta)):
        if digest(tensors) != meta.get("sha256"):
            raise SystemExit("%s: digest %s does not match the one @th wrote" % (what, digest(tensors)))
    case = json.loads(wmeta["case"])
    th_config = json.loads(wmeta["config"])
    cfg = torch_config(lsr, th_config)
    model = lsr.LSR(cfg).double().eval()
    load_weights(model, weights)
    print("case %s: torch_lsr config %s" % (case["name"], cfg))

    with torch.no_grad():
        x = nchw(inputs["encoder_input"])
        gl = nhwc(model.Gl(nchw(inputs["gl_landmarks"]), torch.from_numpy(np.array(inputs["gl_zl"], dtype=np.float64))))
        layout = nchw(inputs["gi_layout"])
        seg = torch.cat([nchw(inputs["gi_landmarks"]), layout], 1) if cfg.spade_input == "layout+landmarks" else layout
        gi = nhwc(model.GI(torch.from_numpy(np.array(inputs["gi_zs"], dtype=np.float64)), seg))
        d = model.D(nchw(inputs["d_image"]), nchw(inputs["d_landmarks"])).reshape(-1, 1).numpy()
        outputs = {
            "es": model.Es(x).numpy(),
            "el": model.El(x).numpy(),
            "gl_grid": grid(gl, case["stride"]),
            "gl_mean": gl.mean(axis=(1, 2)),
            "gi_grid": grid(gi, case["stride"]),
            "gi_mean": gi.mean(axis=(1, 2)),
            "d": d,
        }
    for name, value in outputs.items():
        print("  %-8s %-18s |max| %.4g" % (name, value.shape, np.abs(value).max()))
    write_safetensors(outputs, args.out, {
        "generator": "tools/python/torch_lsr_golden.py (torch_lsr, float64)",
        "torch": torch.__version__,
        "case": json.dumps(case),
        "weights_sha256": wmeta["sha256"],
        "inputs_sha256": imeta["sha256"],
    })
    print("wrote %s" % args.out)


if __name__ == "__main__":
    main()
