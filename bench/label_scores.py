"""Label-issue rules against labels we broke, on both splits; near-copies against copies we made; and what they cost.

    python bench/label_scores.py test --run RUN --data PATH
    python bench/label_scores.py train --run NOISY_RUN --data NOISY_DATA
    python bench/label_scores.py copies --run RUN --data PATH

`test`: RUN's model (a `cifar-cam train` folder) on the clean data; 1 % and 3 % of the test labels changed (seeded, three
seeds), at random or to the class's partner (cat↔dog, …), and every rule of `LABEL_RULES` asked for its K most suspect
(`noise_table`, the table of 05_misclassified). Also times what a run adds to find them (`explain_run`'s evidence step: features,
neighbours, both splits' scores, the copy search), median of three.
`train`: NOISY_DATA made by bench/label_noise.py (its flips.json says which training labels are wrong), NOISY_RUN trained
on it with the default command. Each rule ranks the training images: self-confidence and neighbours+confidence use the
model's in-sample probabilities (the model trained on these labels), `neighbours` only the other training images' votes,
`area-under-margin` the margins the run recorded while it trained (its `last.pt`), and `area-under-margin+confidence`
(the default) the mean of an image's ranks by those margins and by the in-sample self-confidence.
`copies`: the near-copy threshold: 1,000 training images (seeded) copied five ways, searched for among the training
images with and without their originals (found, and false alarms), at several thresholds.
"""
import argparse, json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from common import data_folder
from cifar_cam.data import ImageSet, Splits
from cifar_cam.datasets import load_data
from cifar_cam.checkpoint import load_model, read_checkpoint
from cifar_cam.training import AreaUnderMargin
from cifar_cam.explain import _evidence
from cifar_cam.inference import predict
from cifar_cam.neighbours import find_neighbours, neighbour_votes, copy_matches, shifted
from cifar_cam.misclassified import (CIFAR10_PARTNERS, LabelIssues, confident_issues, label_issues, train_label_issues, noise_table, show_noise_table,
                                     precision_at_k)


def test_noise(model, cfg, data:Splits, aum, repeats:int=3):
    model = model.to(memory_format=torch.channels_last)  # as `explain_run` holds a BatchNorm model
    preds = predict(model, data.test, tta=cfg.get('tta', 'none'))
    seconds = []
    for _ in range(repeats):  # the evidence step exactly as a run takes it (`explain_run`'s `_evidence`)
        ev = _evidence(model, data, preds, aum)
        seconds.append(ev['metrics']['evidence_seconds'])
    print(f"model: test accuracy {preds.accuracy:.4f} ({cfg.get('tta')} TTA, float32), {torch.get_num_threads()} threads")
    print(f"evidence step: median {np.median(seconds):.1f} s of {seconds} (training labels by {ev['train_issues'].rule}); "
          f"{len(ev['metrics']['train_duplicates'])} near-copies, {ev['train_issues'].flagged} training labels flagged")
    nbrs = ev['nbrs']
    show_noise_table(noise_table(preds, votes=neighbour_votes(nbrs.test_sim, nbrs.test_idx, nbrs.train_labels, len(data.classes)), partners=CIFAR10_PARTNERS))


def train_noise(model, data:Splits, root:Path, aum):
    flips = json.loads((root / 'flips.json').read_text())
    where = {f: i for i, f in enumerate(data.train.files)}  # the run may have trained on a sample (`--train-subset`): the flips in it
    kinds = {k: torch.tensor([where[str(root / f['file'])] for f in flips if f['kind'] == k and str(root / f['file']) in where]) for k in ('random', 'pair')}
    truth = torch.zeros(len(data.train), dtype=torch.bool)
    for idx in kinds.values(): truth[idx] = True
    nbrs = find_neighbours(model, data)
    votes = neighbour_votes(nbrs.train_sim, nbrs.train_idx, nbrs.train_labels, len(data.classes))
    inside = predict(model, data.train, tta='none')  # in-sample: the model was trained on these labels
    print(f"margins recorded from epoch {aum.start + 1} of the run on" if aum is not None else "no margins recorded")
    print(f"{int(truth.sum())} training labels flipped ({', '.join(f'{len(v)} {k}' for k, v in kinds.items())}); the model's training-set accuracy "
          f"(on the given labels) {inside.accuracy:.4f}")
    print(f"{'rule':>27} {'K':>5} {'P=R at K':>8} {'random':>7} {'pair':>7} {'flagged':>7} {'precision':>9} {'recall':>6}")
    labels = torch.from_numpy(data.train.labels)
    for rule in ('self-confidence', 'neighbours', 'neighbours+confidence', 'area-under-margin', 'area-under-margin+confidence'):
        if rule.startswith('area-under-margin') and aum is None: print(f"{rule:>27}: the run recorded no margins"); continue
        issues = (train_label_issues(labels, len(data.classes), nbrs=nbrs) if rule == 'neighbours' else
                  train_label_issues(labels, len(data.classes), aum=aum, probs=inside.probs) if rule == 'area-under-margin+confidence' else
                  margins_alone(labels, aum) if rule == 'area-under-margin' else label_issues(inside, rule, votes))
        r, top = precision_at_k(issues, truth), set(issues.order[:int(truth.sum())].tolist())
        share = {k: np.mean([i in top for i in v.tolist()]) for k, v in kinds.items()}
        name = rule + (' (in-sample)' if rule in ('self-confidence', 'neighbours+confidence') else '')
        print(f"{name:>27} {int(truth.sum()):>5} {r['at_k']:>8.3f} {share['random']:>7.3f} {share['pair']:>7.3f} {r['flagged']:>7} {r['precision']:>9.3f} {r['recall']:>6.3f}")


def margins_alone(labels, aum)->LabelIssues:
    "The training images ranked by their area under the margin alone (lowest first), flagged as the default rule flags them."
    scores = -aum.aum.float()
    return LabelIssues('area-under-margin', torch.sort(-scores, stable=True).indices, scores,
                       aum.mean_probs.scatter(1, labels[:, None], float('-inf')).argmax(1), confident_issues(aum.mean_probs, labels))


def made_copies(images:np.ndarray)->dict:
    "Five kinds of copy of `images` (uint8 N×H×W×3)."
    def rescale(a):
        x = torch.from_numpy(a).permute(0, 3, 1, 2).float()[:, :, 2:-2, 2:-2]
        return F.interpolate(x, size=a.shape[1:3], mode='bilinear', antialias=True).round().clamp(0, 255).byte().permute(0, 2, 3, 1).numpy()
    cast = lambda a: np.clip(a * np.array([1.15, .95, .8]) + 12, 0, 255).astype(np.uint8)
    return {'shifted': shifted(images), 'colour cast': cast(images), 'rescaled': rescale(images),
            'mirrored': np.ascontiguousarray(images[:, :, ::-1]), 'all three': rescale(cast(shifted(images)))}


def copies(model, data:Splits):
    pick = np.random.default_rng(0).choice(len(data.train), 1000, replace=False)
    kinds = made_copies(data.train.images[pick])
    made = ImageSet(np.concatenate(list(kinds.values())), np.tile(data.train.labels[pick], len(kinds)), data.classes)
    originals = torch.from_numpy(np.tile(pick, len(kinds)))
    with_originals = Splits(data.train, made)
    nbrs = find_neighbours(model, with_originals)
    found_sim, found_match = copy_matches(with_originals, nbrs)
    without = Splits(data.train[np.setdiff1d(np.arange(len(data.train)), pick)], made)
    alarm_sim, _ = copy_matches(without, find_neighbours(model, without))
    by_features = (nbrs.test_idx[:, :3] == originals[:, None]).any(1).float().view(len(kinds), -1).mean(1)
    print('original among the 3 nearest by features: ' + ', '.join(f'{k} {v:.3f}' for k, v in zip(kinds, by_features.tolist())))
    print(f"{'threshold':>9} " + ' '.join(f'{k:>11}' for k in kinds) + f" {'false alarms':>12}")
    for t in (0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98):
        hit = ((found_match == originals) & (found_sim >= t)).float().view(len(kinds), -1).mean(1)
        print(f"{t:>9} " + ' '.join(f'{v:>11.3f}' for v in hit.tolist()) + f" {(alarm_sim >= t).float().mean().item():>12.4f}")
    q = lambda p: round(alarm_sim.quantile(p).item(), 3)
    print(f"distinct pairs (a copy against the most copy-like other image among its candidates): median {q(.5)}, 99th percentile {q(.99)}, max {alarm_sim.max().item():.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('what', choices=['test', 'train', 'copies'])
    p.add_argument('--run', required=True, help='a cifar-cam train folder (its last.pt)')
    p.add_argument('--data', required=True)
    a = p.parse_args()
    root = data_folder(a.data)
    model, cfg = load_model(Path(a.run) / 'last.pt')
    state = read_checkpoint(Path(a.run) / 'last.pt').get('aum')  # the area under the margin, if training recorded it
    aum = AreaUnderMargin.from_state_dict(state) if state is not None else None
    data = load_data(root, train_subset=cfg.get('data', {}).get('train_images'), seed=cfg.get('data', {}).get('seed', 0))  # the run's own training images
    {'test': lambda: test_noise(model, cfg, data, aum), 'train': lambda: train_noise(model, data, root, aum), 'copies': lambda: copies(model, data)}[a.what]()


if __name__ == '__main__': main()
