"""torch.compile on the training step and on evaluation, against eager: speed, compile time, and a 10-epoch run's total.

    python bench/compile_speed.py [--width 16] [--batch-size 256] [--steps 20] [--repeats 3] [--precision auto]
                                  [--epochs 10] [--train-images 50000] [--test-images 10000]

Both learners are `create_learner` defaults (BatchNorm ResNet18, channels_last, --precision: 'auto' is bf16 on a CPU that
has it), built from the same seed, on synthetic images (the speed of a step does not depend on what the pixels show).
Eager is `compile=False`; compiled is `compile=True`, which wraps the model in `torch.compile` (Inductor) for training.
Evaluation compiles the model on its own (`torch.compile(model)` in eval mode, one float32 view as after each epoch).

For each: the first call (compilation included), then the median over --repeats rounds (alternating eager and
compiled) of --steps training steps, and of --steps evaluation batches. Prints images/s, compile seconds, the ratio, and
what --epochs epochs of --train-images training images with a one-view evaluation of --test-images would take, compile
included.
"""
import argparse, statistics, time

import torch
from common import int_options
from cifar_cam.data import synthetic_cifar
from cifar_cam.inference import tta_logits
from cifar_cam.resnet import eval_mode
from cifar_cam.training import create_learner


def timed(fn)->float:
    start = time.perf_counter(); fn(); return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    int_options(p, width=16, batch_size=256, steps=20, repeats=3, epochs=10, train_images=50_000, test_images=10_000)
    p.add_argument('--precision', default='auto')
    a = p.parse_args()
    data = synthetic_cifar(n_train=a.batch_size * a.steps, n_test=a.batch_size, seed=0)
    learners = {c: create_learner(data, width=a.width, batch_size=a.batch_size, device='cpu', precision=a.precision,
                                  progress='none', compile=c) for c in (False, True)}
    batches = list(learners[False].train_dl)  # the same augmented batches for both
    x_test = next(iter(learners[False].test_dl))[0].contiguous(memory_format=torch.channels_last)  # normalised, as evaluate's
    evaluators = {False: learners[False].model, True: torch.compile(learners[True].model)}
    print(f"ResNet18 width {a.width}, BatchNorm, batch {a.batch_size}, precision {learners[False].precision}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    def train(c): [learners[c].train_step(b) for b in batches]
    def evaluate(c):
        with eval_mode(evaluators[c]), torch.inference_mode():
            for _ in range(a.steps): tta_logits(evaluators[c], x_test, 'none')
    first = {c: (timed(lambda: learners[c].train_step(batches[0])), timed(lambda: evaluate(c))) for c in (False, True)}
    step, view = {False: [], True: []}, {False: [], True: []}
    for _ in range(a.repeats):
        for c in (False, True):
            step[c].append(timed(lambda: train(c)) / a.steps)
            view[c].append(timed(lambda: evaluate(c)) / a.steps)
    med = {c: (statistics.median(step[c]), statistics.median(view[c])) for c in (False, True)}
    compile_s = {c: first[c][0] - med[c][0] + first[c][1] - a.steps * med[c][1] for c in (False, True)}
    steps_run, eval_batches = a.epochs * (a.train_images // a.batch_size), a.epochs * -(-a.test_images // len(x_test))
    total = {c: max(compile_s[c], 0) * c + steps_run * med[c][0] + eval_batches * med[c][1] for c in (False, True)}
    for c, name in ((False, 'eager'), (True, 'compiled')):
        print(f"{name:>9}: train {a.batch_size / med[c][0]:7.0f} img/s, eval {len(x_test) / med[c][1]:7.0f} img/s, "
              f"first calls {first[c][0]:6.1f} s + {first[c][1]:6.1f} s, {a.epochs} epochs ≈ {total[c] / 60:5.1f} min")
    print(f"compile time {compile_s[True]:.0f} s; step time compiled/eager {med[True][0] / med[False][0]:.2f}, "
          f"eval {med[True][1] / med[False][1]:.2f}; {a.epochs}-epoch total compiled/eager {total[True] / total[False]:.2f}")


if __name__ == '__main__':
    main()
