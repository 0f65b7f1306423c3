"""Does a shorter LR range test pick the same OneCycle peak? The pick and the seconds of each sweep, against the default one.

    python bench/range_test_steps.py [--data PATH] [--preset cpu] [--seeds 3] [--sweeps 1e-5:180,1e-5:90,1e-4:75,1e-4:50]

Each sweep is START:STEPS, from START to `lr_find`'s end rate (10); the first is the reference (today's default:
1e-5 to 10 in 180 steps, 30 per decade). For every seed, one learner of the preset (its own seed: initial weights,
order, augmentation) is swept with each; `lr_find` leaves it exactly as it was, so every sweep starts from the same
state. Prints each sweep's pick, its ratio to the reference's pick on the same seed, and its seconds; medians last.
The seeds' own scatter of the reference pick is the yardstick: a shorter sweep whose ratio stays inside it picks
the same rate.
"""
import argparse, statistics, time

import torch
from common import add_data_option, data_folder
from cifar_cam.datasets import load_dataset
from cifar_cam.settings import preset_settings
from cifar_cam.training import create_learner
from cifar_cam.lr_finder import lr_find
from cifar_cam.training import learner_settings


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--preset', default='cpu')
    p.add_argument('--seeds', type=int, default=3)
    p.add_argument('--sweeps', default='1e-5:180,1e-5:90,1e-4:75,1e-4:50')
    a = p.parse_args()
    sweeps = [(float(s.split(':')[0]), int(s.split(':')[1])) for s in a.sweeps.split(',')]
    splits = load_dataset(data_folder(a.data))
    s = preset_settings(a.preset)
    print(f"preset {a.preset}: width {s['width']}, batch {s['batch_size']}, {len(splits.train)} training images, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    picks, seconds = {sw: [] for sw in sweeps}, {sw: [] for sw in sweeps}
    for seed in range(a.seeds):
        learn = create_learner(splits, device='cpu', progress='none', **{**learner_settings(s), 'seed': seed})
        for start, steps in sweeps:
            t = time.perf_counter()
            picks[start, steps].append(lr_find(learn, start_lr=start, num_steps=steps).onecycle)
            seconds[start, steps].append(time.perf_counter() - t)
        ref = picks[sweeps[0]][-1]
        print(f"seed {seed}: " + '; '.join(f"{st:g}:{n} {picks[st, n][-1]:.3f} ({picks[st, n][-1] / ref:.2f}x, {seconds[st, n][-1]:.0f} s)"
                                           for st, n in sweeps), flush=True)
    ref = picks[sweeps[0]]
    print(f"reference picks over seeds: {', '.join(f'{x:.3f}' for x in ref)} (max/min {max(ref) / min(ref):.2f}x)")
    for sw in sweeps:
        ratios = [x / r for x, r in zip(picks[sw], ref)]
        print(f"{sw[0]:g} to 10 in {sw[1]:3d} steps: median pick {statistics.median(picks[sw]):.3f}, ratio to reference "
              f"{statistics.median(ratios):.2f}x (range {min(ratios):.2f}-{max(ratios):.2f}), median {statistics.median(seconds[sw]):.0f} s")


if __name__ == '__main__': main()
