#!/usr/bin/python3
"""Golden outputs for @th/metrics' LPIPS and FID networks, computed independently in NumPy.

Run with Debian's interpreter (numpy; Pillow if present, to check the resize against the real
thing):
    /usr/bin/python3 tools/python/golden-networks.py [--weights-out DIR]
Writes src/__fixtures__/golden-pil-resize.json, golden-lpips.json, golden-fid-inception.json.

No pretrained weights are involved: every tensor is generated from one integer hash that the
TypeScript tests re-create bit for bit (src/fid/testing-weights.ts). With t the tensor's position
in the network's state-dict order and i the flat index in PyTorch layout, h = fmix32((i +
0x9E3779B9 (t + 1)) mod 2^32) (MurmurHash3's finaliser) and s = 2 h / 2^32 - 1 in [-1, 1): conv
weight s*sqrt(6/fan_in) (He-scaled, so activations neither vanish nor explode); AlexNet bias 0.1 s;
BN weight 1 + 0.2 s, bias 0.1 s, running_mean 0.1 s, running_var 1 + 0.5 s; LPIPS head
0.1 (1 + s); all rounded to float32. The forward passes
here are written from the PyTorch definitions (torchvision AlexNet + lpips v0.1; pytorch-fid's
FID Inception) with im2col convolutions in float64, CHW layout, batch norm NOT folded.
--weights-out DIR also writes the weights as safetensors (PyTorch names and layouts) and the
inputs as .npy, so the same numbers can be reproduced with PyTorch.
"""
import argparse
import hashlib
import json
import os

import numpy as np

try:
    from PIL import Image
except ImportError:  # the NumPy resize below is then the only reference
    Image = None

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')  # repository root
FRAMES = os.path.join(ROOT, 'fixtures', 'voxceleb2', 'frames', 'test')
OUT = os.path.join(ROOT, 'packages', 'metrics', 'src', '__fixtures__')
FRAME_FILES = {
    'a0': 'id00017/OLguY5ofUrY/00000_rgb.png',
    'a1': 'id00017/OLguY5ofUrY/00001_rgb.png',
    'b0': 'id00061/mMOd25Ag7XY/00000_rgb.png',
    'c0': 'id00081/vvLu_7TpP8c/00000_rgb.png',
}


# ---------------------------------------------------------------- Pillow's bicubic, in NumPy
def cubic(x):
    x = np.abs(x)
    a = -0.5
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0.0))


def pillow_matrix(n_in, n_out):
    """Fixed-point (2^22) resampling matrix [n_out, n_in] as Pillow's Resample.c builds it."""
    scale = n_in / n_out
    fscale = max(scale, 1.0)
    support = 2.0 * fscale
    m = np.zeros((n_out, n_in), dtype=np.int64)
    for o in range(n_out):
        c = (o + 0.5) * scale
        lo = max(int(c - support + 0.5), 0)
        hi = min(int(c + support + 0.5), n_in)
        w = cubic((np.arange(lo, hi) - c + 0.5) / fscale)
        w = w / w.sum() if w.sum() != 0 else w
        m[o, lo:hi] = np.where(w < 0, np.trunc(-0.5 + w * 2**22), np.trunc(0.5 + w * 2**22))
    return m


def clip8(acc):
    return np.clip(acc >> 22, 0, 255).astype(np.uint8)  # == Pillow's clip8 for all int inputs


def resize_numpy(img, h_out, w_out):
    """uint8 HWC → uint8, horizontal pass then vertical, rounded/clipped to 8 bits in between."""
    x = img.astype(np.int64)
    mid = clip8(np.einsum('ow,hwc->hoc', pillow_matrix(img.shape[1], w_out), x) + 2**21)
    return clip8(np.einsum('oh,hwc->owc', pillow_matrix(img.shape[0], h_out),
                           mid.astype(np.int64)) + 2**21)


def resize_reference(img, h_out, w_out):
    ours = resize_numpy(img, h_out, w_out)
    if Image is not None:
        pil = np.asarray(Image.fromarray(img).resize((w_out, h_out), Image.BICUBIC))
        assert np.array_equal(pil, ours), f'NumPy resize differs from Pillow {Image.__version__}'
    return ours


# ---------------------------------------------------------------- deterministic weights
def fmix32(h):
    """MurmurHash3's 32-bit finaliser on a uint32 array (multiplications wrap mod 2^32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def det_tensor(name, shape, t):
    i = np.arange(int(np.prod(shape)), dtype=np.uint32)
    h = fmix32(i + np.uint32((0x9E3779B9 * (t + 1)) % 2**32))
    s = h.astype(np.float64) / 2**32 * 2 - 1
    if name.endswith('running_var'):
        v = 1 + 0.5 * s
    elif name.endswith('running_mean') or name.endswith('bias'):
        v = 0.1 * s
    elif name.endswith('bn.weight'):
        v = 1 + 0.2 * s
    elif name.startswith('lin'):
        v = 0.1 * (1 + s)
    else:
        v = s * np.sqrt(6.0 / (shape[1] * shape[2] * shape[3]))
    return v.astype(np.float32).reshape(shape)


def det_weights(specs):
    return {name: det_tensor(name, shape, t) for t, (name, shape) in enumerate(specs)}


# ---------------------------------------------------------------- NumPy ops (CHW, float64)
def conv(x, w, b=None, stride=1, pad=(0, 0)):
    w = w.astype(np.float64)
    o, c, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    ho, wo = win.shape[1], win.shape[2]
    cols = win.transpose(0, 3, 4, 1, 2).reshape(c * kh * kw, ho * wo)
    y = (w.reshape(o, -1) @ cols).reshape(o, ho, wo)
    return y if b is None else y + b.astype(np.float64)[:, None, None]


def relu(x):
    return np.maximum(x, 0)


def max_pool(x, k, stride, pad=0):
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    return np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(1, 2))[
        :, ::stride, ::stride].max(axis=(3, 4))


def avg_pool_exclude_pad(x):
    """3x3 stride-1 pad-1 average over in-image pixels only (count_include_pad=False)."""
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    ones = np.pad(np.ones(x.shape[1:]), 1)
    s = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(1, 2)).sum(axis=(3, 4))
    n = np.lib.stride_tricks.sliding_window_view(ones, (3, 3)).sum(axis=(2, 3))
    return s / n


# ---------------------------------------------------------------- LPIPS v0.1 (alex)
ALEX = [(0, 3, 64, 11, 4, 2), (3, 64, 192, 5, 1, 2), (6, 192, 384, 3, 1, 1),
        (8, 384, 256, 3, 1, 1), (10, 256, 256, 3, 1, 1)]
LPIPS_SPECS = ([(f'features.{i}.{p}', [o, c, k, k] if p == 'weight' else [o])
                for i, c, o, k, _, _ in ALEX for p in ('weight', 'bias')]
               + [(f'lin{n}.model.1.weight', [1, a[2], 1, 1]) for n, a in enumerate(ALEX)])


def lpips(img0, img1, w):
    shift = np.array([-.030, -.088, -.188])[:, None, None]
    scale = np.array([.458, .448, .450])[:, None, None]
    feats = []
    for img in (img0, img1):
        x = (img.transpose(2, 0, 1).astype(np.float64) / 127.5 - 1 - shift) / scale
        taps = []
        for n, (i, _, _, _, stride, pad) in enumerate(ALEX):
            if n in (1, 2):
                x = max_pool(x, 3, 2)
            x = relu(conv(x, w[f'features.{i}.weight'], w[f'features.{i}.bias'], stride, (pad, pad)))
            taps.append(x / (np.sqrt((x * x).sum(axis=0, keepdims=True)) + 1e-10))
        feats.append(taps)
    layers = [float((w[f'lin{n}.model.1.weight'].reshape(-1, 1, 1).astype(np.float64)
                     * (f0 - f1) ** 2).sum(axis=0).mean())
              for n, (f0, f1) in enumerate(zip(*feats))]
    return sum(layers), layers


# ---------------------------------------------------------------- FID Inception-v3 (pytorch-fid)
def inception_convs():
    """(name, in, out, (kh, kw), stride, (ph, pw)) in state-dict order."""
    L = []

    def c(name, i, o, k, s=1, p=0):
        L.append((name, i, o, k if isinstance(k, tuple) else (k, k), s,
                  p if isinstance(p, tuple) else (p, p)))

    c('Conv2d_1a_3x3', 3, 32, 3, 2)
    c('Conv2d_2a_3x3', 32, 32, 3)
    c('Conv2d_2b_3x3', 32, 64, 3, p=1)
    c('Conv2d_3b_1x1', 64, 80, 1)
    c('Conv2d_4a_3x3', 80, 192, 3)
    for m, cin, pf in (('Mixed_5b', 192, 32), ('Mixed_5c', 256, 64), ('Mixed_5d', 288, 64)):
        c(f'{m}.branch1x1', cin, 64, 1)
        c(f'{m}.branch5x5_1', cin, 48, 1)
        c(f'{m}.branch5x5_2', 48, 64, 5, p=2)
        c(f'{m}.branch3x3dbl_1', cin, 64, 1)
        c(f'{m}.branch3x3dbl_2', 64, 96, 3, p=1)
        c(f'{m}.branch3x3dbl_3', 96, 96, 3, p=1)
        c(f'{m}.branch_pool', cin, pf, 1)
    c('Mixed_6a.branch3x3', 288, 384, 3, 2)
    c('Mixed_6a.branch3x3dbl_1', 288, 64, 1)
    c('Mixed_6a.branch3x3dbl_2', 64, 96, 3, p=1)
    c('Mixed_6a.branch3x3dbl_3', 96, 96, 3, 2)
    for m, c7 in (('Mixed_6b', 128), ('Mixed_6c', 160), ('Mixed_6d', 160), ('Mixed_6e', 192)):
        c(f'{m}.branch1x1', 768, 192, 1)
        c(f'{m}.branch7x7_1', 768, c7, 1)
        c(f'{m}.branch7x7_2', c7, c7, (1, 7), p=(0, 3))
        c(f'{m}.branch7x7_3', c7, 192, (7, 1), p=(3, 0))
        c(f'{m}.branch7x7dbl_1', 768, c7, 1)
        c(f'{m}.branch7x7dbl_2', c7, c7, (7, 1), p=(3, 0))
        c(f'{m}.branch7x7dbl_3', c7, c7, (1, 7), p=(0, 3))
        c(f'{m}.branch7x7dbl_4', c7, c7, (7, 1), p=(3, 0))
        c(f'{m}.branch7x7dbl_5', c7, 192, (1, 7), p=(0, 3))
        c(f'{m}.branch_pool', 768, 192, 1)
    c('Mixed_7a.branch3x3_1', 768, 192, 1)
    c('Mixed_7a.branch3x3_2', 192, 320, 3, 2)
    c('Mixed_7a.branch7x7x3_1', 768, 192, 1)
    c('Mixed_7a.branch7x7x3_2', 192, 192, (1, 7), p=(0, 3))
    c('Mixed_7a.branch7x7x3_3', 192, 192, (7, 1), p=(3, 0))
    c('Mixed_7a.branch7x7x3_4', 192, 192, 3, 2)
    for m, cin in (('Mixed_7b', 1280), ('Mixed_7c', 2048)):
        c(f'{m}.branch1x1', cin, 320, 1)
        c(f'{m}.branch3x3_1', cin, 384, 1)
        c(f'{m}.branch3x3_2a', 384, 384, (1, 3), p=(0, 1))
        c(f'{m}.branch3x3_2b', 384, 384, (3, 1), p=(1, 0))
        c(f'{m}.branch3x3dbl_1', cin, 448, 1)
        c(f'{m}.branch3x3dbl_2', 448, 384, 3, p=1)
        c(f'{m}.branch3x3dbl_3a', 384, 384, (1, 3), p=(0, 1))
        c(f'{m}.branch3x3dbl_3b', 384, 384, (3, 1), p=(1, 0))
        c(f'{m}.branch_pool', cin, 192, 1)
    return L


CONVS = {l[0]: l for l in inception_convs()}
FID_SPECS = [(f'{n}.{s}', [o, i, k[0], k[1]] if s == 'conv.weight' else [o])
             for n, i, o, k, _, _ in inception_convs()
             for s in ('conv.weight', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var')]


def inception_forward(x, w):
    def bc(x, name):
        _, _, _, _, stride, pad = CONVS[name]
        y = conv(x, w[f'{name}.conv.weight'], None, stride, pad)
        g, b, m, v = (w[f'{name}.bn.{p}'].astype(np.float64)[:, None, None]
                      for p in ('weight', 'bias', 'running_mean', 'running_var'))
        return relu((y - m) / np.sqrt(v + 1e-3) * g + b)

    def chain(x, m, names):
        for n in names:
            x = bc(x, f'{m}.{n}')
        return x

    x = bc(bc(x, 'Conv2d_1a_3x3'), 'Conv2d_2a_3x3')
    x = max_pool(bc(x, 'Conv2d_2b_3x3'), 3, 2)
    x = max_pool(bc(bc(x, 'Conv2d_3b_1x1'), 'Conv2d_4a_3x3'), 3, 2)
    for m in ('Mixed_5b', 'Mixed_5c', 'Mixed_5d'):
        x = np.concatenate([
            chain(x, m, ['branch1x1']),
            chain(x, m, ['branch5x5_1', 'branch5x5_2']),
            chain(x, m, ['branch3x3dbl_1', 'branch3x3dbl_2', 'branch3x3dbl_3']),
            bc(avg_pool_exclude_pad(x), f'{m}.branch_pool')])
    x = np.concatenate([
        chain(x, 'Mixed_6a', ['branch3x3']),
        chain(x, 'Mixed_6a', ['branch3x3dbl_1', 'branch3x3dbl_2', 'branch3x3dbl_3']),
        max_pool(x, 3, 2)])
    for m in ('Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e'):
        x = np.concatenate([
            chain(x, m, ['branch1x1']),
            chain(x, m, ['branch7x7_1', 'branch7x7_2', 'branch7x7_3']),
            chain(x, m, [f'branch7x7dbl_{i}' for i in range(1, 6)]),
            bc(avg_pool_exclude_pad(x), f'{m}.branch_pool')])
    x = np.concatenate([
        chain(x, 'Mixed_7a', ['branch3x3_1', 'branch3x3_2']),
        chain(x, 'Mixed_7a', [f'branch7x7x3_{i}' for i in range(1, 5)]),
        max_pool(x, 3, 2)])
    for m, pool in (('Mixed_7b', 'avg'), ('Mixed_7c', 'max')):
        s3 = bc(x, f'{m}.branch3x3_1')
        d3 = chain(x, m, ['branch3x3dbl_1', 'branch3x3dbl_2'])
        pooled = avg_pool_exclude_pad(x) if pool == 'avg' else max_pool(x, 3, 1, pad=1)
        x = np.concatenate([
            bc(x, f'{m}.branch1x1'),
            bc(s3, f'{m}.branch3x3_2a'), bc(s3, f'{m}.branch3x3_2b'),
            bc(d3, f'{m}.branch3x3dbl_3a'), bc(d3, f'{m}.branch3x3dbl_3b'),
            bc(pooled, f'{m}.branch_pool')])
    return x.mean(axis=(1, 2))


# ---------------------------------------------------------------- outputs
def summary(v):
    v = np.asarray(v, dtype=np.float64)
    i = np.arange(v.size)
    return {'length': int(v.size), 'first64': v[:64].tolist(), 'sum': float(v.sum()),
            'sumSquares': float((v * v).sum()), 'cosineWeighted': float((v * np.cos(0.37 * i)).sum())}


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape),
                        'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(len(text).to_bytes(8, 'little') + text + b''.join(blobs))


def load_frame(key):
    path = os.path.join(FRAMES, FRAME_FILES[key])
    if Image is not None:
        return np.asarray(Image.open(path).convert('RGB'))
    import imageio.v2 as imageio  # fallback decoder
    return np.asarray(imageio.imread(path))[:, :, :3]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--weights-out', help='also write weights (.safetensors) and inputs (.npy)')
    args = parser.parse_args()
    frames = {k: load_frame(k) for k in FRAME_FILES}
    versions = {'numpy': np.__version__, 'pillow': Image.__version__ if Image else None}

    def dump(name, obj):
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(obj, f, indent=1)

    a0 = frames['a0']
    up = resize_reference(a0, 299, 299)
    down = resize_reference(a0, 64, 64)
    crop = np.ascontiguousarray(a0[100:137, 80:133])
    mixed = resize_reference(crop, 20, 71)
    n = up.size
    dump('golden-pil-resize.json', {
        'versions': versions, 'checkedAgainstPillow': Image is not None, 'frames': FRAME_FILES,
        'up': {'frame': 'a0', 'size': [299, 299], 'sha256': hashlib.sha256(up.tobytes()).hexdigest(),
               'sum': int(up.astype(np.int64).sum()),
               'samples': [[(k * 997) % n, int(up.reshape(-1)[(k * 997) % n])] for k in range(200)]},
        'down': {'frame': 'a0', 'size': [64, 64],
                 'sha256': hashlib.sha256(down.tobytes()).hexdigest()},
        'crop': {'frame': 'a0', 'rows': [100, 137], 'cols': [80, 133], 'size': [20, 71],
                 'values': mixed.reshape(-1).tolist()},
    })

    lw = det_weights(LPIPS_SPECS)
    crop64 = lambda k: np.ascontiguousarray(frames[k][20:84, 30:94])
    pairs = []
    for a, b, crop_it in (('a0', 'a1', False), ('a0', 'b0', False), ('b0', 'c0', False),
                          ('a0', 'b0', True)):
        x, y = (crop64(a), crop64(b)) if crop_it else (frames[a], frames[b])
        total, layers = lpips(x, y, lw)
        pairs.append({'a': a, 'b': b, 'crop64': crop_it, 'distance': total, 'perLayer': layers})
    dump('golden-lpips.json', {'versions': versions, 'frames': FRAME_FILES,
                               'crop64': {'rows': [20, 84], 'cols': [30, 94]}, 'pairs': pairs})

    fw = det_weights(FID_SPECS)
    small = frames['b0'][40:147, 50:157].transpose(2, 0, 1).astype(np.float64) / 127.5 - 1
    full = {k: resize_reference(frames[k], 299, 299).transpose(2, 0, 1) / 127.5 - 1
            for k in ('a0', 'b0')}
    dump('golden-fid-inception.json', {
        'versions': versions, 'frames': FRAME_FILES,
        'small': {'frame': 'b0', 'rows': [40, 147], 'cols': [50, 157],
                  'pool3': summary(inception_forward(small, fw))},
        'full': [{'frame': k, 'pool3': summary(inception_forward(x, fw))} for k, x in full.items()],
    })

    if args.weights_out:
        os.makedirs(args.weights_out, exist_ok=True)
        write_safetensors(os.path.join(args.weights_out, 'lpips-deterministic.safetensors'), lw)
        write_safetensors(os.path.join(args.weights_out, 'fid-inception-deterministic.safetensors'), fw)
        for k, f in frames.items():
            np.save(os.path.join(args.weights_out, f'frame-{k}.npy'), f)
    print('wrote golden-pil-resize.json, golden-lpips.json, golden-fid-inception.json to', OUT)


if __name__ == '__main__':
    main()
