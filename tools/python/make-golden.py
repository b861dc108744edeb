#!/usr/bin/python3
"""Golden values for @th/metrics, computed with the Python reference implementations.

Run with Debian's interpreter (python3-skimage, python3-scipy):
    /usr/bin/python3 tools/python/make-golden.py
Writes src/__fixtures__/golden-psnr-ssim.json and src/__fixtures__/golden-frechet.json.

Image pairs use the real VoxCeleb2 frames in fixtures/voxceleb2, plus copies of one frame
degraded by integer-exact recipes (hash noise, 3x3 box blur) that the TypeScript test
re-creates bit for bit (src/testing/degrade.ts), so no derived image has to be stored.
"""
import json
import os
import sys

import mpmath as mp
import numpy as np
import scipy
import skimage
from scipy import linalg
from skimage import io
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')  # repository root
FRAMES = os.path.join(ROOT, 'fixtures', 'voxceleb2', 'frames')
OUT = os.path.join(ROOT, 'packages', 'metrics', 'src', '__fixtures__')


def frame(split, identity, index):
    folder = os.path.join(FRAMES, split, identity)
    video = sorted(os.listdir(folder))[0]
    return f'{split}/{identity}/{video}/{index:05d}_rgb.png'


def load(rel):
    img = io.imread(os.path.join(FRAMES, rel))
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3, (rel, img.shape)
    return img


def hash_noise(img, amplitude, seed):
    """Adds an integer offset in [-amplitude, amplitude] from a 32-bit hash of the value index."""
    i = np.arange(img.size, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(seed)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x45D9F3B)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    offset = (h % np.uint64(2 * amplitude + 1)).astype(np.int64) - amplitude
    out = img.reshape(-1).astype(np.int64) + offset
    return np.clip(out, 0, 255).astype(np.uint8).reshape(img.shape)


def box_blur3(img):
    """3x3 box blur, edge-replicated, integer rounding: (sum + 4) // 9 per channel."""
    p = np.pad(img.astype(np.int64), ((1, 1), (1, 1), (0, 0)), mode='edge')
    h, w = img.shape[:2]
    acc = sum(p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))
    return ((acc + 4) // 9).astype(np.uint8)


DEGRADE = {'none': lambda im: im,
           'noise20': lambda im: hash_noise(im, 20, 12345),
           'blur3': box_blur3,
           'blur3+noise8': lambda im: hash_noise(box_blur3(im), 8, 777)}


def image_pairs():
    pairs = [
        ('same identity, different frames', frame('train', 'id00017', 0), 'none',
         frame('train', 'id00017', 1), 'none'),
        ('same identity, source vs hold-out', frame('train', 'id00061', 0), 'none',
         frame('test', 'id00061', 1), 'none'),
        ('different identities', frame('train', 'id00017', 0), 'none',
         frame('train', 'id00812', 0), 'none'),
        ('different identities', frame('test', 'id00061', 0), 'none',
         frame('test', 'id00081', 0), 'none'),
        ('frame vs hash-noise copy', frame('train', 'id00081', 2), 'none',
         frame('train', 'id00081', 2), 'noise20'),
        ('frame vs 3x3 box-blurred copy', frame('train', 'id00812', 3), 'none',
         frame('train', 'id00812', 3), 'blur3'),
        ('frame vs blurred + noisy copy', frame('test', 'id00017', 0), 'none',
         frame('test', 'id00017', 0), 'blur3+noise8'),
    ]
    out = []
    for desc, ra, da, rb, db in pairs:
        a = DEGRADE[da](load(ra))
        b = DEGRADE[db](load(rb))
        af, bf = a.astype(np.float64), b.astype(np.float64)
        out.append({
            'description': desc,
            'a': {'file': ra, 'degrade': da},
            'b': {'file': rb, 'degrade': db},
            'psnr': float(peak_signal_noise_ratio(a, b)),
            'ssim_skimage': float(structural_similarity(af, bf, data_range=255,
                                                        multichannel=True)),
            'ssim_skimage_float32': float(structural_similarity(
                a.astype(np.float32), b.astype(np.float32), data_range=255, multichannel=True)),
            'ssim_wang2004': float(structural_similarity(
                af, bf, data_range=255, multichannel=True, gaussian_weights=True, sigma=1.5,
                use_sample_covariance=False)),
        })
    return out


def frechet_scipy(mu1, s1, mu2, s2):
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))


def frechet_eigh(mu1, s1, mu2, s2):
    w, v = np.linalg.eigh(s1)
    b = v * np.sqrt(np.clip(w, 0, None))
    m = b.T.dot(s2).dot(b)
    tr = np.sqrt(np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)).sum()
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * tr)


def frechet_exact(f1, f2):
    """40-digit reference from the exact (rounded) features: the float64 routes above lose ~1e-8
    relative on singular covariances, where sqrt amplifies rounding noise in zero eigenvalues."""
    mp.mp.dps = 40

    def stats(f):
        n, d = f.shape
        rows = [[mp.mpf(float(x)) for x in r] for r in f]
        mu = [mp.fsum(r[j] for r in rows) / n for j in range(d)]
        cov = mp.matrix(d, d)
        for i in range(d):
            for j in range(i, d):
                v = mp.fsum((r[i] - mu[i]) * (r[j] - mu[j]) for r in rows) / (n - 1)
                cov[i, j] = v
                cov[j, i] = v
        return mu, cov

    (mu1, s1), (mu2, s2) = stats(f1), stats(f2)
    d = len(mu1)
    w, v = mp.eigsy(s1)
    b = mp.matrix(d, d)
    for i in range(d):
        for j in range(d):
            b[i, j] = v[i, j] * mp.sqrt(max(w[j], 0))
    tr = mp.fsum(mp.sqrt(max(x, 0)) for x in mp.eigsy(b.T * s2 * b, eigvals_only=True))
    fd = (mp.fsum((a - c) ** 2 for a, c in zip(mu1, mu2))
          + mp.fsum(s1[i, i] + s2[i, i] for i in range(d)) - 2 * tr)
    return float(fd)


def frechet_cases():
    rng = np.random.RandomState(20211014)
    specs = [  # (name, d, n1, n2, rank of the generating map or None)
        ('full rank, d=8', 8, 60, 50, None),
        ('full rank, d=48', 48, 70, 60, None),
        ('rank-deficient: fewer samples than dims', 40, 25, 30, None),
        ('low-rank features (rank 6 of d=24)', 24, 60, 70, 6),
    ]
    cases = []
    for name, d, n1, n2, rank in specs:
        def draw(n, shift):
            mix = rng.randn(d if rank is None else rank, d)
            z = rng.randn(n, mix.shape[0])
            # Rounded so the JSON stays small; the rounded values are the exact inputs.
            return np.round(z.dot(mix) * 0.7 + shift, 4)
        f1 = draw(n1, rng.randn(d) * 0.3)
        f2 = draw(n2, rng.randn(d) * 0.3)
        mu1, mu2 = f1.mean(axis=0), f2.mean(axis=0)
        s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
        cases.append({
            'name': name, 'd': d,
            'features1': f1.tolist(), 'features2': f2.tolist(),
            'frechet_scipy_sqrtm': frechet_scipy(mu1, s1, mu2, s2),
            'frechet_numpy_eigh': frechet_eigh(mu1, s1, mu2, s2),
            'frechet_mpmath_40_digits': frechet_exact(f1, f2),
            'trace_cov1': float(np.trace(s1)), 'cov1_00': float(s1[0, 0]),
            'cov1_01': float(s1[0, 1]), 'mean1_0': float(mu1[0]),
        })
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {'python': sys.version.split()[0], 'numpy': np.__version__,
                'scipy': scipy.__version__, 'skimage': skimage.__version__,
                'mpmath': mp.__version__}
    psnr_ssim = {
        'generator': 'tools/python/make-golden.py',
        'versions': versions,
        'reader': 'skimage.io.imread(path) -> uint8 HxWx3',
        'calls': {
            'psnr': 'peak_signal_noise_ratio(a_uint8, b_uint8)',
            'ssim_skimage': 'structural_similarity(a.astype(float64), b.astype(float64), '
                            'data_range=255, multichannel=True)',
            'ssim_skimage_float32': 'structural_similarity(a.astype(float32), b.astype(float32), '
                                    'data_range=255, multichannel=True)  # LSR eval_utils',
            'ssim_wang2004': 'structural_similarity(a.astype(float64), b.astype(float64), '
                             'data_range=255, multichannel=True, gaussian_weights=True, '
                             'sigma=1.5, use_sample_covariance=False)',
        },
        'pairs': image_pairs(),
    }
    frechet = {
        'generator': 'tools/python/make-golden.py',
        'versions': versions,
        'calls': {
            'stats': 'mu = f.mean(axis=0); sigma = np.cov(f, rowvar=False)',
            'frechet_scipy_sqrtm': '|mu1-mu2|^2 + tr(s1) + tr(s2) - 2 tr(real(linalg.sqrtm(s1 @ s2)))',
            'frechet_numpy_eigh': 'same with tr sqrt(eigvalsh(B^T s2 B)), B = V sqrt(max(w,0)), '
                                  '(w, V) = eigh(s1)',
            'frechet_mpmath_40_digits': 'eigh route in mpmath (dps 40) from the exact features',
        },
        'seed': 'np.random.RandomState(20211014)',
        'cases': frechet_cases(),
    }
    for name, payload, indent in (('golden-psnr-ssim.json', psnr_ssim, 1),
                                  ('golden-frechet.json', frechet, None)):
        with open(os.path.join(OUT, name), 'w') as fh:
            json.dump(payload, fh, indent=indent)
            fh.write('\n')
        print('wrote', os.path.join(OUT, name))
    for p in psnr_ssim['pairs']:
        print(f"{p['description']:40s} psnr {p['psnr']:.4f} ssim {p['ssim_skimage']:.6f} "
              f"f32-f64 {p['ssim_skimage_float32'] - p['ssim_skimage']:+.2e} "
              f"wang {p['ssim_wang2004']:.6f}")
    for c in frechet['cases']:
        exact = c['frechet_mpmath_40_digits']
        print(f"{c['name']:45s} fd {exact:.12g} rel err scipy "
              f"{(c['frechet_scipy_sqrtm'] - exact) / exact:.1e} eigh "
              f"{(c['frechet_numpy_eigh'] - exact) / exact:.1e}")


if __name__ == '__main__':
    main()
