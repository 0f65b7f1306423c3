"""ResNet18 training-step speed on this machine: ours (per norm) against torchvision's resnet18 adapted to CIFAR.

    python bench/resnet_speed.py [--batch-size 64] [--width 64] [--repeats 9] [--steps 2]

A training step is forward, cross-entropy, backward and an SGD step on a random batch of 32×32 images. Each
configuration is timed for --steps steps per round, in a new random order each round, so that machine noise hits all alike; the median
over the rounds is printed as images/second, and the ratio ours / torchvision at equal settings.
"""
import argparse, random, statistics, time
from contextlib import nullcontext

import torch, torch.nn as nn, torchvision
from cifar_cam.normalization import create_model


def torchvision_cifar_resnet18(num_classes=10):
    "torchvision's resnet18 with a 3×3 stride-1 stem and no max-pool, as CIFAR code adapts it."
    m = torchvision.models.resnet18(num_classes=num_classes)
    m.conv1, m.maxpool = nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.Identity()
    return m


def make_step(model, batch_size, bf16, channels_last):
    "A closure doing one training step; returns it after one warm-up call."
    model = model.train()
    if channels_last: model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(batch_size, 3, 32, 32), torch.randint(0, 10, (batch_size,))
    if channels_last: x = x.contiguous(memory_format=torch.channels_last)
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16) if bf16 else nullcontext():
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    step()
    return step


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--width', type=int, default=64)
    p.add_argument('--repeats', type=int, default=9)
    p.add_argument('--steps', type=int, default=2, help='training steps per configuration per round')
    a = p.parse_args()
    torch.manual_seed(0)
    configs = {}
    for prec, bf16, cl in [('fp32', False, False), ('bf16', True, False), ('bf16+channels_last', True, True)]:
        configs[('torchvision resnet18 (CIFAR stem)', 'batch', prec)] = (torchvision_cifar_resnet18(), bf16, cl)
        configs[('cifar_cam resnet18', 'batch', prec)] = (create_model('resnet18', 'batch', a.width), bf16, cl)
    for norm in ['group', 'layer', 'layer2d', 'instance']:
        for prec, bf16 in [('fp32', False), ('bf16', True)]:
            configs[('cifar_cam resnet18', norm, prec)] = (create_model('resnet18', norm, a.width), bf16, False)
    steps = {k: make_step(m, a.batch_size, bf16, cl) for k, (m, bf16, cl) in configs.items()}
    times = {k: [] for k in steps}
    order, rng = list(steps), random.Random(0)
    for _ in range(a.repeats):
        rng.shuffle(order)  # a new order each round, so no configuration always runs first or after the same one
        for k in order:
            step = steps[k]
            t = time.perf_counter()
            for _ in range(a.steps): step()
            times[k].append((time.perf_counter() - t) / a.steps)
    ips = {k: a.batch_size / statistics.median(v) for k, v in times.items()}
    print(f"ResNet18 training step, batch {a.batch_size}, width {a.width}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, median of {a.repeats}")
    print(f"{'model':36s} {'norm':9s} {'precision':19s} {'img/s':>7s}")
    for (model, norm, prec), v in ips.items(): print(f"{model:36s} {norm:9s} {prec:19s} {v:7.1f}")
    for prec in ['fp32', 'bf16', 'bf16+channels_last']:
        ours, tv = ips[('cifar_cam resnet18', 'batch', prec)], ips[('torchvision resnet18 (CIFAR stem)', 'batch', prec)]
        print(f"ratio ours/torchvision, {prec}: {ours / tv:.3f}")


if __name__ == '__main__': main()
