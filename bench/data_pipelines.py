"""Images/second of the seeds' albumentations DataLoader against `BatchLoader` + `BatchAugment`, same data, one run.

    python bench/data_pipelines.py [--data PATH] [--batches 40] [--repeats 5] [--workers 2]

PATH is an image-folder tree or a .tar.gz of one (default: `cifar10_root()`, i.e. $CIFAR10_ARCHIVE or a copy in
~/.cache/cifar_cam; synthetic data where there is none). Prints the median images/second of each pipeline and their ratio.
"""
import argparse, statistics, time

import torch
from common import SEED_RECIPE, add_data_option, data_folder, int_options
from cifar_cam.data import synthetic_cifar
from cifar_cam.datasets import load_dataset
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
    add_data_option(p)
    int_options(p, batches=40, repeats=5, batch_size=128, workers=2)  # workers: of the albumentations DataLoader
    a = p.parse_args()
    data = data_folder(a.data)
    train = load_dataset(data).train if data.is_dir() else synthetic_cifar(n_train=a.batch_size * (a.batches + 1)).train
    print(f"data: {data if data.is_dir() else 'synthetic'}, {len(train)} images, batch {a.batch_size}, "
          f"torch threads {torch.get_num_threads()}, {a.workers} albumentations workers")
    results = {'albumentations DataLoader': [], 'BatchLoader + BatchAugment': []}
    for r in range(a.repeats):
        alb = albumentations_loader(train, train_transforms(**SEED_RECIPE), a.batch_size, shuffle=True, device='cpu',
                                    num_workers=a.workers, seed=r)
        results['albumentations DataLoader'].append(images_per_second(alb, a.batches))
        del alb
        ours = BatchLoader(train, a.batch_size, BatchAugment(**SEED_RECIPE), shuffle=True, device='cpu', seed=r)
        results['BatchLoader + BatchAugment'].append(images_per_second(ours, a.batches))
    med = {k: statistics.median(v) for k, v in results.items()}
    for k, v in results.items(): print(f"{k:28s} median {med[k]:8.0f} img/s   runs: {', '.join(f'{x:.0f}' for x in v)}")
    print(f"ratio (batched / albumentations): {med['BatchLoader + BatchAugment'] / med['albumentations DataLoader']:.1f}x")


if __name__ == '__main__': main()
