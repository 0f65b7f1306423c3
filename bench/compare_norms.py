"""The course assignment on the real CIFAR-10: three runs of one ResNet recipe with BatchNorm, GroupNorm and LayerNorm,
compared by `cifar-cam compare`, with the figures 26_compare quotes.

    python bench/compare_norms.py --data PATH --work DIR [--train] [--width 16 --epochs 3 --subset 10000]

With `--train` it first trains the three runs into DIR/batch, DIR/group and DIR/layer (`cifar-cam train --arch resnet18
--norm NORM --width W --groups 8 --epochs E --batch-size 128 --train-subset N --seed 0`: the same recipe, each run's own
LR range test). Then `cifar-cam compare` writes DIR/compare, and this prints each run's accuracy, each pair's McNemar
counts and p-value, the mistakes by runs, the label-flag agreements measured on injected noise, and the seconds the
comparison took; it draws one mistake every run makes, with each run's map, into nbs/images/compare_shared_mistake.png.
"""
import argparse, json, time
from pathlib import Path

import numpy as np
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

from common import add_data_option, data_folder
from cifar_cam.cli import main as cli
from cifar_cam.compare import read_run, run_predictions, run_maps, _overlay
from cifar_cam.datasets import load_data

NORMS = ('batch', 'group', 'layer')


def run(args):
    try: cli([str(a) for a in args])
    except SystemExit as e:
        if e.code: raise


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--work', required=True)
    p.add_argument('--train', action='store_true')
    p.add_argument('--width', type=int, default=16)
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--subset', type=int, default=10_000)
    a = p.parse_args()
    data, work = data_folder(a.data), Path(a.work)
    if a.train:
        for norm in NORMS:
            run(['train', '--data', data, '--out', work / norm, '--arch', 'resnet18', '--norm', norm, '--width', a.width,
                 '--groups', 8, '--epochs', a.epochs, '--batch-size', 128, '--train-subset', a.subset, '--seed', 0, '--quiet'])
    start = time.perf_counter()
    run(['compare', *[work / n for n in NORMS], '--data', data, '--out', work / 'compare'])
    seconds = time.perf_counter() - start
    c = json.loads((work / 'compare/compare.json').read_text())
    print(f"compare: {seconds:.0f} s")
    for r in c['runs']: print(f"{r['name']}: accuracy {r['accuracy']:.4f}, {r['mistakes']} mistakes, {r['minutes']} min")
    for q in c['pairs']:
        print(f"{q['a']} vs {q['b']}: right only in {q['a']} {q['a_only']}, only in {q['b']} {q['b_only']}, "
              f"p = {q['p_value']:.3g}")
    m = c['mistakes']
    print(f"mistakes: every run {m['by_all']}, some {m['by_some']}, one only {m['by_one']}")
    print(f"label flags by every run: {c['label_flags']['agreed_count']}")
    for r in c['label_flags']['measured']:
        print(f"  {r['noise']:>10} {r['fraction']:.0%} {r['agreement']:>9}: flagged {r['flagged']:7.1f}, precision "
              f"{r['precision']:.3f}, recall {r['recall']:.3f}")
    # one mistake every run makes, the most confident: the image and each run's map of the class it predicted
    runs = [read_run(work / n) for n in NORMS]
    splits = load_data(data, size=32, train_subset=runs[0].config['data']['train_images'], seed=0)
    preds = [run_predictions(r, splits.test) for r in runs]
    wrong = np.stack([~p.correct.numpy() for p in preds]).all(0)
    conf = np.stack([p.confidence.numpy() for p in preds]).mean(0)
    i = int(np.flatnonzero(wrong)[np.argmax(conf[wrong])])
    classes = splits.classes
    fig, axes = plt.subplots(1, 4, figsize=(8, 2.4))
    axes[0].imshow(splits.test.images[i])
    axes[0].set_title(f'#{i}: {classes[splits.test.labels[i]]}', fontsize=9)
    for ax, r, p in zip(axes[1:], runs, preds):
        cam = run_maps(r, splits.test, np.array([i]), p)[0]
        ax.imshow(_overlay(splits.test.images[i], cam))
        ax.set_title(f'{r.name}: {classes[p.preds[i]]} ({p.confidence[i]:.2f})\n{r.metrics["cam_layers"][0]}', fontsize=9)
    for ax in axes: ax.axis('off')
    out = Path(__file__).resolve().parent.parent / 'nbs/images/compare_shared_mistake.png'
    fig.savefig(out, dpi=100, bbox_inches='tight', metadata={'Software': None})
    print(f"shared mistake #{i}: {out}")


if __name__ == '__main__': main()
