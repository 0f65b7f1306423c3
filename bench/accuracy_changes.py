"""Each accuracy change of the fast net measured on its own: one run with the change undone (or made), against the same point without.

    python bench/accuracy_changes.py --data PATH --change NAME [--point fast-g4-w16-e8-p50-ee8] [--seed 0]

The point is one of `frontier.py`'s (its options spell every setting). The run is `cifar-cam train` with the point's
options and the change; its final test accuracy is printed beside the point's row for the same seed in
bench/frontier.csv, with the difference. Changes:

- `whitening-first`: the whitening stem from the first 5,000 training images (one class, in a folder read class by class)
  instead of a seeded sample of every class (`whitening_images`);
- `momentum-constant`: SGD's momentum constant at 0.85 (`--momentum-cycle 0`, as airbench) instead of 0.85-0.95 over
  the cycle;
- `ema`: a moving average of the weights over the last 5 % of the run (`--ema 0.05`);
- `bias-lr-64`: the norm and bias parameters at 64 times the rate (`--bias-lr 64`), as airbench.
"""
import argparse, csv, json, shlex, sys, time
from pathlib import Path

import numpy as np

from common import add_data_option, data_folder
from frontier import POINTS

CHANGES = {'whitening-first': [], 'momentum-constant': ['--momentum-cycle', '0'], 'ema': ['--ema', '0.05'],
           'bias-lr-64': ['--bias-lr', '64']}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--change', required=True, choices=list(CHANGES))
    p.add_argument('--point', default='fast-g4-w16-e8-p50-ee8', choices=list(POINTS))
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--work', default='/tmp/cifar_cam_changes')
    a = p.parse_args()
    if a.change == 'whitening-first':  # the stem from the split's first images, as a folder lists them
        import cifar_cam.training as training
        training.whitening_images = lambda n_train, seed=0, n=training.WHITEN_IMAGES: np.arange(min(n, n_train))
    from cifar_cam.cli import main as cli
    out = Path(a.work) / f'{a.point}-{a.change}-s{a.seed}'
    args = ['train', '--data', str(data_folder(a.data)), '--out', str(out), '--overwrite', '--quiet', '--seed',
            str(a.seed), *shlex.split(POINTS[a.point]), *CHANGES[a.change]]
    start = time.perf_counter()
    try: cli(args)
    except SystemExit as e:
        if e.code: raise
    acc = json.loads((out / 'metrics.json').read_text())['final_test_accuracy']
    rows = [r for r in csv.DictReader(open(Path(__file__).with_name('frontier.csv')))
            if r['point'] == a.point and int(r['seed']) == a.seed]
    base = float(rows[-1]['final_test_accuracy']) if rows else float('nan')
    print(f"{a.point} seed {a.seed}: {a.change} {acc:.4f}, without {base:.4f} (frontier.csv), change {acc - base:+.4f}; "
          f"{time.perf_counter() - start:.0f} s")


if __name__ == '__main__': main()
