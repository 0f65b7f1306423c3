"""Label-issue rules against labels we broke, on both splits; near-copies against copies we made; and what they cost.

    python bench/label_scores.py test --run RUN --data PATH
    python bench/label_scores.py train --run NOISY_RUN --data NOISY_DATA
    python bench/label_scores.py copies --run RUN --data PATH

`test`: RUN's model (a `cifar-cam train` folder) on the clean data; 1 % and 3 % of the test labels changed (seeded, three
seeds), at random or to the class's partner (cat↔dog, …), and every rule of `LABEL_RULES` asked for its K most suspect
(`noise_table`, the table of 18_misclassified). Also times what a run adds to find them (`explain_run`'s evidence step: features,
neighbours, both splits' scores, the copy search), median of three.
`train`: NOISY_DATA made by bench/label_noise.py (its flips.json says which training labels are wrong), NOISY_RUN trained
on it with the default command. Each rule ranks the training images: self-confidence and neighbours+confidence use the
model's in-sample probabilities (the model trained on these labels), `neighbours` only the other training images' votes,
`area-under-margin` the margins the run recorded while it trained (its `last.pt`), and `area-under-margin+confidence`
(the default) the mean of an image's ranks by those margins and by the in-sample self-confidence.
`copies`: the near-copy similarity and threshold: 1,000 training images (seeded) copied twelve ways (`made_copies`: shifts
of 1 and 2 pixels, colour cast, mirror, rescale, crop-zoom, rotation, JPEG, colour jitter, blur, combinations), searched
for among the training images with and without their originals (found, and false alarms), at several thresholds, with
the first similarity (16-px thumbnails), the last stop's (`aligned_similarity`: full resolution, shifts and mirror) and
the one a run uses (the same, and the nearest by colours also at `COPY_ZOOMS`), all on the same candidates.
"""
import argparse, io, json, time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from common import data_folder
from cifar_cam.data import ImageSet, Splits
from cifar_cam.datasets import load_data
from cifar_cam.explain import open_run, collect_evidence
from cifar_cam.inference import predict
from cifar_cam.neighbours import LUMA, find_neighbours, neighbour_votes, copy_matches, shifted, window_sums
from cifar_cam.misclassified import (CIFAR10_PARTNERS, LabelIssues, confident_issues, label_issues, train_label_issues, noise_table, show_noise_table,
                                     precision_at_k)


def test_noise(model, cfg, data:Splits, aum, repeats:int=3):
    model = model.to(memory_format=torch.channels_last)  # as `explain_run` holds a BatchNorm model
    preds = predict(model, data.test, tta=cfg.get('tta', 'none'))
    seconds = []
    for _ in range(repeats):  # the evidence step exactly as a run takes it (`explain_run`'s `collect_evidence`)
        ev = collect_evidence(model, data, preds, aum)
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


def made_copies(images:np.ndarray, seed:int=0)->dict:
    "Copies of `images` (uint8 N×H×W×3) as a test set may hold them: the easy kinds, then the harder ones people find."
    rng = np.random.default_rng(seed)
    to_x = lambda a: torch.from_numpy(np.ascontiguousarray(a)).permute(0, 3, 1, 2).float()
    to_a = lambda x: x.round().clamp(0, 255).byte().permute(0, 2, 3, 1).numpy()
    def rescale(a):
        return to_a(F.interpolate(to_x(a)[:, :, 2:-2, 2:-2], size=a.shape[1:3], mode='bilinear', antialias=True))
    def crop_zoom(a, lo=0.75):  # a crop of 75-100 % of the side, anywhere, resized back
        out = []
        for img in a:
            z = rng.uniform(lo, 1.0); side = max(8, int(round(z * a.shape[1])))
            y, x = rng.integers(0, a.shape[1] - side + 1, 2)
            out.append(F.interpolate(to_x(img[None, y:y + side, x:x + side]), size=a.shape[1:3], mode='bilinear',
                                     antialias=True))
        return to_a(torch.cat(out))
    def rotate(a):  # 2 to 6 degrees either way, the corners reflected
        angles = rng.uniform(2, 6, len(a)) * rng.choice([-1, 1], len(a))
        x = to_x(a); th = torch.tensor(np.radians(angles), dtype=torch.float32)
        m = torch.stack([torch.stack([th.cos(), -th.sin(), torch.zeros_like(th)], 1),
                         torch.stack([th.sin(), th.cos(), torch.zeros_like(th)], 1)], 1)
        grid = F.affine_grid(m, x.shape, align_corners=False)
        return to_a(F.grid_sample(x, grid, mode='bilinear', padding_mode='reflection', align_corners=False))
    def jpeg(a):  # another JPEG pass, quality 50-90
        out = []
        for img in a:
            buf = io.BytesIO(); Image.fromarray(img).save(buf, 'JPEG', quality=int(rng.integers(50, 91)))
            out.append(np.asarray(Image.open(buf).convert('RGB')))
        return np.stack(out)
    def jitter(a):  # brightness, contrast and saturation, each ±25 %
        x = to_x(a); n = len(a)
        b, c, s = (torch.from_numpy(rng.uniform(0.75, 1.25, n)).float().view(n, 1, 1, 1) for _ in range(3))
        x = x * b
        x = (x - x.mean((1, 2, 3), keepdim=True)) * c + x.mean((1, 2, 3), keepdim=True)
        grey = (x * torch.tensor(LUMA).view(1, 3, 1, 1)).sum(1, keepdim=True)
        return to_a(grey + (x - grey) * s)
    def blur(a):
        k = torch.tensor([1., 4., 6., 4., 1.]); k = (k[:, None] * k[None]) / 256
        x = to_x(a)
        return to_a(F.conv2d(F.pad(x, (2, 2, 2, 2), mode='reflect'), k.expand(3, 1, 5, 5), groups=3))
    cast = lambda a: np.clip(a * np.array([1.15, .95, .8]) + 12, 0, 255).astype(np.uint8)
    return {'shift 2': shifted(images), 'shift 1': shifted(images, 1, -1), 'colour cast': cast(images),
            'mirrored': np.ascontiguousarray(images[:, :, ::-1]), 'rescaled': rescale(images),
            'all three': rescale(cast(shifted(images))), 'crop-zoom': crop_zoom(images), 'rotated': rotate(images),
            'jpeg': jpeg(images), 'jitter': jitter(images), 'blur': blur(images),
            'combined': jpeg(jitter(crop_zoom(images, 0.85)))}


def _pearson(a, b):
    "The Pearson correlation of each pair of rows of `a` and `b` (N×…); 0 where either is flat."
    a, b = a.flatten(1), b.flatten(1)
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1)).clamp(min=1e-6)


def thumbnails(ga, gb, shift=1):
    "The baseline similarity: 16-px grey thumbnails (2×2 averages of 32-px images), best over 1-thumbnail-px shifts and a mirror."
    ta, tb = (F.avg_pool2d(g[:, None], 2)[:, 0] for g in (ga, gb))
    side, s = ta.shape[-1], shift
    core = ta[:, s:side - s, s:side - s]
    return torch.stack([_pearson(core, t[:, s + dy:side - s + dy, s + dx:side - s + dx])
                        for t in (tb, tb.flip(-1)) for dy in range(-s, s + 1) for dx in range(-s, s + 1)]).max(0).values


def unguarded(ga, gb, shift=2, zooms=(1,), chunk=1024):
    "`aligned_similarity` before flat windows were decided: every norm clamped at 1e-6, float32 window sums."
    (h, w), s = ga.shape[1:], shift
    ch, cw = h - 2 * s, w - 2 * s
    out = []
    for i in range(0, len(ga), chunk):
        core = ga[i:i + chunk, s:h - s, s:w - s]
        core = core - core.mean((1, 2), keepdim=True)
        core = core / core.flatten(1).norm(dim=1).clamp(min=1e-6)[:, None, None]
        best = torch.full((len(core),), -1.)
        for z in zooms:
            b = gb[i:i + chunk]
            if z != 1: b = F.interpolate(b[:, None], scale_factor=z, mode='bilinear', antialias=True, recompute_scale_factor=False)[:, 0]
            b = b - b.mean((1, 2), keepdim=True)
            sums, squares = window_sums(b, ch, cw).float(), window_sums(b * b, ch, cw).float()
            norms = (squares - sums ** 2 / (ch * cw)).clamp(min=0).sqrt().clamp(min=1e-6)
            for image, norm in ((b, norms), (b.flip(-1), norms.flip(-1))):
                dots = F.conv2d(image[None], core[:, None], groups=len(image))[0]
                best = torch.maximum(best, (dots / norm).flatten(1).amax(1))
        out.append(best)
    return torch.cat(out)


# name: copy_matches' arguments. Every one searches the same candidates (features, pixel signature, colours)
SIMILARITIES = {'thumbnails (first)': dict(similarity=thumbnails, zooms=()),
                'aligned (no zooms)': dict(zooms=()),
                'aligned + zooms before flat windows': dict(similarity=unguarded),
                'aligned + zooms (now)': dict()}


def copies(model, data:Splits, only=None):
    pick = np.random.default_rng(0).choice(len(data.train), 1000, replace=False)
    kinds = made_copies(data.train.images[pick])
    made = ImageSet(np.concatenate(list(kinds.values())), np.tile(data.train.labels[pick], len(kinds)), data.classes)
    originals = torch.from_numpy(np.tile(pick, len(kinds)))
    with_originals = Splits(data.train, made)
    without = Splits(data.train[np.setdiff1d(np.arange(len(data.train)), pick)], made)
    nbrs, nbrs_without = find_neighbours(model, with_originals), find_neighbours(model, without)
    by_features = (nbrs.test_idx[:, :3] == originals[:, None]).any(1).float().view(len(kinds), -1).mean(1)
    print('original among the 3 nearest by features: ' + ', '.join(f'{k} {v:.3f}' for k, v in zip(kinds, by_features.tolist())))
    looked_for = torch.tensor([k in ('crop-zoom', 'rotated') for k in kinds]).repeat_interleave(len(pick))
    for name, how in SIMILARITIES.items():
        if only and name not in only: continue
        start = time.perf_counter()
        found_sim, found_match = copy_matches(with_originals, nbrs, **how)
        seconds = time.perf_counter() - start
        alarm_sim, _ = copy_matches(without, nbrs_without, **how)  # each copy against distinct images only
        print(f"\n{name}: copy_matches on {len(made):,} images in {seconds:.1f} s; found (match is the original, at or "
              "above the threshold) by kind, false alarms (a copy's best distinct match at or above it), and precision "
              "(found / (found + false alarms), one distractor query per copy)")
        print(f"{'threshold':>9} " + ' '.join(f'{k:>11}' for k in kinds) + f" {'false alarms':>12}")
        for t in (0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98):
            hit = ((found_match == originals) & (found_sim >= t)).float().view(len(kinds), -1).mean(1)
            alarms = (alarm_sim >= t).float().view(len(kinds), -1).mean(1)
            print(f"{t:>9} " + ' '.join(f'{v:>11.3f}' for v in hit.tolist()) + f" {alarms.mean().item():>12.4f}")
            print(f"{'precision':>9} " + ' '.join(f'{h / max(h + a, 1e-9):>11.3f}' for h, a in zip(hit.tolist(), alarms.tolist())))
            h = ((found_match == originals) & (found_sim >= t))[looked_for].float().mean().item()
            a = (alarm_sim >= t)[looked_for].float().mean().item()
            print(f"{'':>9} crop-zoom and rotated together: {h:.3f} found at a precision of {h / max(h + a, 1e-9):.3f}")
        q = lambda p: round(alarm_sim.quantile(p).item(), 3)
        print(f"distinct pairs (a copy against the most copy-like other image among its candidates): median {q(.5)}, "
              f"99th percentile {q(.99)}, max {alarm_sim.max().item():.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('what', choices=['test', 'train', 'copies'])
    p.add_argument('--run', required=True, help='a cifar-cam train folder (its last.pt)')
    p.add_argument('--data', required=True)
    p.add_argument('--similarities', default=None, help=f"copies: comma-separated, of {list(SIMILARITIES)} (default all)")
    a = p.parse_args()
    root = data_folder(a.data)
    run = open_run(Path(a.run) / 'last.pt')  # the model, its settings, the area under the margin training recorded (or None)
    model, cfg, aum = run.model, run.config, run.margins
    data = load_data(root, train_subset=run.data['train_subset'], seed=run.data['seed'])  # the run's own training images
    {'test': lambda: test_noise(model, cfg, data, aum), 'train': lambda: train_noise(model, data, root, aum), 'copies': lambda: copies(model, data, a.similarities and a.similarities.split(','))}[a.what]()


if __name__ == '__main__': main()
