"""Images/second of the seeds' albumentations DataLoader against `BatchLoader` + `BatchAugment`, same data, one run.

    python bench/data_pipelines.py [--data PATH] [--batches 40] [--repeats 5] [--workers 2]

PATH is an image-folder tree or a .tar.gz of one (default: `cifar10_root()`, i.e. $CIFAR10_ARCHIVE or a copy in
~/.cache/cifar_cam; synthetic data where there is none). Prints the median images/second of each pipeline and their ratio.
"""
import argparse, statistics, time
from pathlib import Path

import torch
from cifar_cam.data import cifar10_root, load_cifar10, synthetic_cifar, unpack_image_folder
from cifar_cam.augment import BatchAugment, BatchLoader, albumentations_loader, train_transforms


def images_per_second(loader, batches):
    "Images per second over the first `batches` batches of a fresh pass over `loader`."
    it, n = iter(loader), 0
    next(it)  # warm-up: starts workers, first allocations
    start = time.perf_counter()
    for _, (x, _) in zip(range(batches), it): n += len(x)
    return n / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default=None, help='image-folder tree or .tar.gz of one (default: cifar10_root(): $CIFAR10_ARCHIVE, a copy in ~/.cache/cifar_cam, or torchvision\'s download)')
    p.add_argument('--batches', type=int, default=40)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--workers', type=int, default=2, help='DataLoader workers for the albumentations path')
    a = p.parse_args()
    data = Path(a.data) if a.data else cifar10_root()
    if data.suffix == '.gz' and data.is_file(): data = unpack_image_folder(data)
    train = load_cifar10(data).train if data.is_dir() else synthetic_cifar(n_train=a.batch_size * (a.batches + 1)).train
    print(f"data: {data if data.is_dir() else 'synthetic'}, {len(train)} images, batch {a.batch_size}, "
          f"torch threads {torch.get_num_threads()}, {a.workers} albumentations workers")
    results = {'albumentations DataLoader': [], 'BatchLoader + BatchAugment': []}
    for r in range(a.repeats):
        alb = albumentations_loader(train, train_transforms(), a.batch_size, shuffle=True, device='cpu',
                                    num_workers=a.workers, seed=r)
        results['albumentations DataLoader'].append(images_per_second(alb, a.batches))
        del alb
        ours = BatchLoader(train, a.batch_size, BatchAugment(), shuffle=True, device='cpu', seed=r)
        results['BatchLoader + BatchAugment'].append(images_per_second(ours, a.batches))
    med = {k: statistics.median(v) for k, v in results.items()}
    for k, v in results.items(): print(f"{k:28s} median {med[k]:8.0f} img/s   runs: {', '.join(f'{x:.0f}' for x in v)}")
    print(f"ratio (batched / albumentations): {med['BatchLoader + BatchAugment'] / med['albumentations DataLoader']:.1f}x")


if __name__ == '__main__': main()
