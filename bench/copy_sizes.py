"""At which image side a copy comparison means anything: made copies and the hardest distinct images, at 4, 8, 16, 32 px.

    python bench/copy_sizes.py --data PATH [--n 2000]

Real CIFAR-10 training images (the first `--n` of a seeded sample) are brought down to each side (area averaging).
Each gets made copies (exact, a 1-pixel shift, a colour cast, a mirror image) and is compared with each by
`aligned_similarity` (shift 2, or 1 where 2 leaves no centre); each is also compared with its nearest other image by
`colour_histograms`, the hardest distinct candidate the copy search meets. Printed per side: the share of copies found
and the share of distinct images passed as copies, at the near-copy (0.97) and very-similar (0.9) thresholds.
"""
import argparse

import numpy as np
import torch
import torch.nn.functional as F

from common import add_data_option, data_folder
from cifar_cam.datasets import load_image_folder
from cifar_cam.neighbours import (DUPLICATE_SIMILARITY, SIMILAR_SIMILARITY, aligned_similarity, colour_histograms,
                                  grey_images, nearest, shifted)


def at_side(images:np.ndarray, side:int)->np.ndarray:
    "uint8 N×H×W×3 brought to side×side by area averaging."
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    return F.interpolate(x, size=(side, side), mode='area').round().clamp(0, 255).byte().permute(0, 2, 3, 1).numpy()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--n', type=int, default=2000)
    a = p.parse_args()
    train = load_image_folder(data_folder(a.data)).train
    pick = np.sort(np.random.default_rng(0).permutation(len(train))[:a.n])
    originals = train.images[pick]
    made = {'exact': lambda x: x, 'shift 1': lambda x: shifted(x, 1, 0),
            'colour cast': lambda x: np.clip(x * np.array([1.15, .95, .8]) + 12, 0, 255).astype(np.uint8),
            'mirror': lambda x: np.ascontiguousarray(x[:, :, ::-1])}
    print(f"{a.n} real CIFAR-10 training images; found = copies at or above the threshold, false = distinct images at or above it")
    for side in (4, 8, 16, 32):
        x = at_side(originals, side)
        shift = 2 if side > 4 else 1
        sim = lambda u, v: aligned_similarity(grey_images(u), grey_images(v), shift=shift)
        hists = colour_histograms(x)
        other = nearest(hists, hists, 1, exclude=torch.arange(len(x)))[1][:, 0].numpy()
        distinct = sim(x, x[other])
        copies = torch.cat([sim(x, f(x)) for f in made.values()])
        row = [f"side {side:>2} (shift {shift})"]
        for t in (DUPLICATE_SIMILARITY, SIMILAR_SIMILARITY):
            row.append(f"at {t}: found {(copies >= t).float().mean():.3f}, false {(distinct >= t).float().mean():.4f}")
        print('; '.join(row), flush=True)


if __name__ == '__main__': main()
