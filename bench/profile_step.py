"""Where a training step's time goes: torch.profiler over the Learner's own epoch, grouped into kinds of work.

    python bench/profile_step.py [--width 16] [--batch-size 256] [--steps 12] [--precision auto]

One `create_learner` on synthetic 32-px images (a step's cost does not depend on what the pixels show), the default
recipe (BatchNorm ResNet18, channels_last, precision 'auto': bf16 on a CPU that has it), a fixed rate (no range
test). The first epoch warms up; the second is profiled: the loader's augmentation included, as in a real run.
Each operator's self time is put in one kind: convolution (forward and backward), BatchNorm, other layers,
optimiser, augmentation, layout and copies, loss, the rest. Prints the kinds, the top operators and images/s.
"""
import argparse, collections, time

import torch
from torch.profiler import profile, ProfilerActivity, record_function
from common import int_options
from cifar_cam.data import synthetic_cifar
from cifar_cam.training import create_learner

KINDS = [  # (kind, words an operator's name contains), the first that matches wins
    ('optimiser', ('optimizer', 'sgd', '_foreach', 'lerp', 'addcdiv', 'fused_sgd')),
    ('convolution', ('conv', 'mkldnn_convolution', 'onednn')),
    ('BatchNorm', ('batch_norm', 'native_batch_norm')),
    ('layout and copies', ('copy_', 'contiguous', 'to_copy', 'clone', '_to_dense', 'empty_like', 'reorder')),
    ('loss', ('cross_entropy', 'log_softmax', 'nll_loss')),
    ('other layers', ('relu', 'threshold', 'add', 'pool', 'addmm', 'mm', 'linear', 'mul', 'sum', 'mean')),
]


def kind_of(name:str)->str:
    low = name.lower()
    return next((k for k, words in KINDS if any(w in low for w in words)), 'the rest')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    int_options(p, width=16, batch_size=256, steps=12, top=15)
    p.add_argument('--precision', default='auto')
    a = p.parse_args()
    data = synthetic_cifar(n_train=a.batch_size * a.steps, n_test=a.batch_size, seed=0)
    learn = create_learner(data, width=a.width, batch_size=a.batch_size, lr=0.05, scheduler='none', device='cpu', precision=a.precision,
                           monitor='train_loss', progress='none')
    learn.test_dl = None
    learn.fit(1)  # warm-up: kernels built, allocator primed
    learn.epochs = 2
    learn.model.train()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        with record_function('epoch'): learn._train_epoch(1)
        seconds = time.perf_counter() - start
    events = [e for e in prof.key_averages() if e.key != 'epoch']
    total = sum(e.self_cpu_time_total for e in events)
    kinds = collections.Counter()
    for e in events: kinds[kind_of(e.key)] += e.self_cpu_time_total
    print(f"ResNet18 width {a.width}, batch {a.batch_size}, precision {learn.precision}, channels_last {learn.channels_last}, "
          f"{a.steps} steps, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"profiled epoch: {seconds:.2f} s, {a.batch_size * a.steps / seconds:.0f} img/s (the profiler adds a little)")
    for k, us in kinds.most_common(): print(f"  {k:18s} {100 * us / total:5.1f} %  {us / 1e6 / a.steps * 1e3:7.1f} ms/step")
    print(f"top {a.top} operators by self time:")
    for e in sorted(events, key=lambda e: -e.self_cpu_time_total)[:a.top]:
        print(f"  {e.key[:48]:48s} {100 * e.self_cpu_time_total / total:5.1f} %  calls/step {e.count / a.steps:6.1f}  [{kind_of(e.key)}]")


if __name__ == '__main__': main()
