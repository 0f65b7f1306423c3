"""Accuracy in a fixed budget: the default command against a seed-style recipe, on the real CIFAR-10.

    python bench/time_to_accuracy.py --data PATH [--width 16] [--epochs 10] [--work DIR] [--recipe both|ours|seed]

PATH is an image-folder tree (train/<class>/*, test/<class>/*), or a .tar.gz of one. Both recipes train ResNet18 with
BatchNorm at the same width for the same number of epochs, one after the other, through the `cifar-cam train` command:

1. ours: `cifar-cam train --data PATH --width W --epochs E`, nothing else given (the `default` preset: `--lr auto`,
   2-pixel crop + flip on the device, label smoothing 0.2, flip-and-shift TTA, no decay on norm/bias, batch 256,
   no EMA);
2. seed-style: what the course repositories do: albumentations per image in DataLoader workers with 4-pixel pad/crop, flip,
   rotate ±5° and a 16-pixel cutout, batch 512, no label smoothing, weight decay on every parameter, no EMA, no TTA,
   OneCycle at a fixed peak read off the range test the way the seeds read it (the steepest descent).

Prints each recipe's test accuracy (`final_test_accuracy` of its metrics.json), its wall time and where the time went
(from its history.csv: seconds of the training passes, of the evaluations after each epoch, the median epoch), then the
difference. `--extra` adds options to both commands (e.g. `--extra "--flip alternate"` for a candidate recipe).
`--recipe ours` or `--recipe seed` runs one of them (e.g. both at once in two shells, when time is short); the
difference is printed only when one run trains both.
"""
import argparse, inspect, json, shlex, statistics, subprocess, sys, time
from pathlib import Path

from common import add_data_option, data_folder
from cifar_cam.datasets import load_dataset
from cifar_cam.history import History
from cifar_cam.lr_finder import lr_find
from cifar_cam.training import Learner, create_learner
from cifar_cam.settings import preset_settings

SEED_STYLE = ['--preset', 'seed-s8', '--norm', 'batch', '--augment', 'albumentations']
# the settings create_learner and the Learner take (lr aside: the range test finds it)
LEARNER_SETTINGS = ({*inspect.signature(create_learner).parameters, *inspect.signature(Learner).parameters} - {'lr'})


def seeds_peak(data:Path, width:int)->float:
    "The seeds' fixed peak: the steepest point of a range test on the seed-style learner (the `seed-s8` preset with SEED_STYLE's changes)."
    s = {**preset_settings('seed-s8'), 'norm': 'batch', 'augment': 'albumentations', 'width': width}  # what SEED_STYLE gives the command
    learn = create_learner(load_dataset(data), progress='none', **{k: v for k, v in s.items() if k in LEARNER_SETTINGS})
    return lr_find(learn).steepest


def train(cli:str, out:Path, args:list)->tuple:
    "Run `cifar-cam train` with `args` into `out`; its final test accuracy, wall time and the line saying where the time went."
    start = time.perf_counter()
    subprocess.run([cli, 'train', '--out', str(out), '--quiet', *args], check=True)
    wall = time.perf_counter() - start
    h = History.load(out / 'history.csv')
    split = (f"training passes {sum(h['train_s']):.0f} s, evaluations after each epoch {sum(h['eval_s']):.0f} s, "
             f"median epoch {statistics.median(h['seconds']):.0f} s, the rest (data, range test, final figures, report) "
             f"{wall - sum(h['seconds']):.0f} s")
    return json.loads((out / 'metrics.json').read_text())['final_test_accuracy'], wall, split


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--width', type=int, default=16)
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--work', default='/tmp/cifar_cam_time_to_accuracy', help='folder for both runs (emptied first)')
    p.add_argument('--recipe', default='both', choices=['both', 'ours', 'seed'], help='which recipes to train')
    p.add_argument('--extra', default='', help='more cifar-cam train options for both, e.g. "--flip alternate --seed 1"')
    a = p.parse_args()
    data = data_folder(a.data)
    work = Path(a.work)
    cli = str(Path(sys.executable).with_name('cifar-cam'))
    common = ['--data', str(data), '--width', str(a.width), '--epochs', str(a.epochs), *shlex.split(a.extra)]
    print(f"ResNet18 width {a.width}, BatchNorm, {a.epochs} epochs, {data}{', ' + a.extra if a.extra else ''}")
    if a.recipe in ('both', 'ours'):
        subprocess.run(['rm', '-rf', str(work / 'ours')], check=True)
        ours = train(cli, work / 'ours', common)
        print(f"ours (default command):            test accuracy {ours[0]:.4f} in {ours[1] / 60:.1f} min: {ours[2]}", flush=True)
    if a.recipe in ('both', 'seed'):
        subprocess.run(['rm', '-rf', str(work / 'seed-style')], check=True)
        peak = seeds_peak(data, a.width)
        seed = train(cli, work / 'seed-style', common + SEED_STYLE + ['--lr', f'{peak:.4g}'])
        print(f"seed-style (fixed peak {peak:.3g}):   test accuracy {seed[0]:.4f} in {seed[1] / 60:.1f} min (range test not timed): {seed[2]}")
    if a.recipe == 'both':
        print(f"difference: {100 * (ours[0] - seed[0]):+.2f} points, time ratio ours/seed-style {ours[1] / seed[1]:.2f}")


if __name__ == '__main__':
    main()
