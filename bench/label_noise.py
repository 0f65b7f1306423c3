"""A copy of an image-folder tree with some training labels flipped, and the list of what was flipped.

    python bench/label_noise.py make --data PATH --out DIR [--random 0.01] [--pairs 0.01] [--seed 0]

The copy is made of symbolic links: `DIR/test` links to the clean test split, `DIR/train/<class>/<file>` links each training
image, in the folder of its *given* class. `--random` of the training images move to a class drawn uniformly among the
others; `--pairs` of them move to their class's partner (cat↔dog, automobile↔truck, deer↔horse, airplane↔ship,
bird↔frog, as for CIFAR-10; classes without a partner are not flipped that way). Files keep their names, prefixed by
their true class, so no two collide. `DIR/flips.json` lists every flipped image: `{"file", "true", "given", "kind"}`,
`file` relative to DIR. Train on DIR with `cifar-cam train --data DIR`, then score with bench/label_scores.py.
"""
import argparse, json, os, random, sys
from pathlib import Path

from common import data_folder

PAIRS = {'cat': 'dog', 'automobile': 'truck', 'deer': 'horse', 'airplane': 'ship', 'bird': 'frog'}
PAIRS = {**PAIRS, **{v: k for k, v in PAIRS.items()}}


def make(data:Path, out:Path, random_frac:float, pair_frac:float, seed:int)->list:
    "Build the noisy copy of `data` in `out` and return its flips."
    classes = sorted(p.name for p in (data / 'train').iterdir() if p.is_dir() and not p.name.startswith('.'))
    files = [(c, f) for c in classes for f in sorted((data / 'train' / c).iterdir())]
    rng = random.Random(seed)
    order = rng.sample(range(len(files)), len(files))
    n_random, n_pairs = round(random_frac * len(files)), round(pair_frac * len(files))
    paired = [i for i in order[n_random:] if files[i][0] in PAIRS][:n_pairs]
    given = {i: rng.choice([c for c in classes if c != files[i][0]]) for i in order[:n_random]}
    given.update({i: PAIRS[files[i][0]] for i in paired})
    out.mkdir(parents=True)
    (out / 'test').symlink_to((data / 'test').resolve())
    flips = []
    for i, (c, f) in enumerate(files):
        label = given.get(i, c)
        (out / 'train' / label).mkdir(parents=True, exist_ok=True)
        link = out / 'train' / label / f'{c}_{f.name}'
        link.symlink_to(f.resolve())
        if label != c: flips.append(dict(file=str(link.relative_to(out)), true=c, given=label, kind='random' if i in given and i not in paired else 'pair'))
    (out / 'flips.json').write_text(json.dumps(flips, indent=1))
    return flips


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('command', choices=['make'])
    p.add_argument('--data', required=True, help='the clean image-folder tree (or .tar.gz of one)')
    p.add_argument('--out', required=True, help='a new folder for the noisy copy')
    p.add_argument('--random', type=float, default=0.01)
    p.add_argument('--pairs', type=float, default=0.01)
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    if Path(a.out).exists(): sys.exit(f"label_noise.py: {a.out} exists; give a new folder")
    flips = make(data_folder(a.data), Path(a.out), a.random, a.pairs, a.seed)
    kinds = {k: sum(f['kind'] == k for f in flips) for k in ('random', 'pair')}
    print(f"{len(flips)} training labels flipped ({kinds['random']} at random, {kinds['pair']} to the partner class); list in {a.out}/flips.json")


if __name__ == '__main__': main()
