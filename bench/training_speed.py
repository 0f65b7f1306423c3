"""Training images/second: cifar_cam's Learner against the seeds' loop, same model and data, one run.

    python bench/training_speed.py [--data PATH] [--width 64] [--steps 20] [--repeats 3] [--workers 2]

Ours: `create_learner` defaults (BatchLoader + BatchAugment on the device, precision 'auto' = bf16 on a CPU that
has it, channels_last for BatchNorm), one epoch of --steps batches; and the same epoch with `progressive` on, which
trains it on images shrunk to 3/4 of their side (the early epochs of `--progressive`). The seeds' way: an albumentations DataLoader
(per-sample augmentation in --workers workers) and a plain fp32 loop (forward, cross-entropy, backward, SGD step,
OneCycle step). Both train the same ResNet18 from the same initial weights on the same images; each is timed for a
whole epoch of --steps batches (loader start-up included), rounds alternating; medians and the ratio are printed.
"""
import argparse, statistics, time

import torch
import torch.nn.functional as F
from common import SEED_RECIPE, add_data_option, data_folder, int_options
from cifar_cam.data import synthetic_cifar, Splits
from cifar_cam.datasets import load_dataset
from cifar_cam.augment import albumentations_loader, train_transforms
from cifar_cam.training import create_learner, set_seed
from cifar_cam.normalization import create_model


def seeds_epoch(model, loader, lr=0.05):
    "The seeds' loop: fp32, per-sample augmented batches from DataLoader workers."
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=len(loader))
    model.train()
    for x, y in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward(); opt.step(); sched.step()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    int_options(p, width=64, batch_size=128, steps=20, repeats=3, workers=2)
    a = p.parse_args()
    n = a.batch_size * a.steps
    data = data_folder(a.data)
    train = load_dataset(data).train[:n] if data.is_dir() else synthetic_cifar(n_train=n, n_test=1).train
    splits = Splits(train, train[:a.batch_size])
    print(f"ResNet18 width {a.width}, batch {a.batch_size}, {a.steps} steps per epoch, {len(train)} images "
          f"({'real CIFAR-10' if data.is_dir() else 'synthetic'}), torch {torch.__version__}, {torch.get_num_threads()} threads")
    times = {'cifar_cam Learner': [], 'cifar_cam Learner, shrunk (progressive)': [], 'seeds: albumentations + fp32': []}
    for r in range(a.repeats):
        learn = create_learner(splits, 'resnet18', 'batch', a.width, a.batch_size, seed=r, device='cpu',
                               lr=0.05, scheduler='onecycle', monitor='train_loss', progress='none')
        learn.test_dl = None
        t = time.perf_counter(); learn.fit(1); times['cifar_cam Learner'].append(time.perf_counter() - t)
        learn = create_learner(splits, 'resnet18', 'batch', a.width, a.batch_size, seed=r, device='cpu', progressive=0.99,  # its one epoch shrunk
                               lr=0.05, scheduler='onecycle', monitor='train_loss', progress='none')
        learn.test_dl = None
        t = time.perf_counter(); learn.fit(1); times['cifar_cam Learner, shrunk (progressive)'].append(time.perf_counter() - t)
        set_seed(r)
        model = create_model('resnet18', 'batch', a.width)
        loader = albumentations_loader(train, train_transforms(**SEED_RECIPE), a.batch_size, shuffle=True, drop_last=True, device='cpu',
                                       num_workers=a.workers, seed=r)
        t = time.perf_counter(); seeds_epoch(model, loader); times['seeds: albumentations + fp32'].append(time.perf_counter() - t)
        print(f"  round {r + 1}: " + ', '.join(f"{k} {n / v[-1]:.0f} img/s" for k, v in times.items()), flush=True)
    ips = {k: n / statistics.median(v) for k, v in times.items()}
    for k, v in ips.items(): print(f"{k:40s} median {v:7.1f} img/s")
    print(f"ratio cifar_cam / seeds: {ips['cifar_cam Learner'] / ips['seeds: albumentations + fp32']:.2f}x; "
          f"shrunk / full: {ips['cifar_cam Learner, shrunk (progressive)'] / ips['cifar_cam Learner']:.2f}x")


if __name__ == '__main__': main()
