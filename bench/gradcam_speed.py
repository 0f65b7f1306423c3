"""Time to compute Grad-CAMs for 256 images at 4 layers, for the predicted and the true class, three ways, then the report's default map:

1. cifar_cam.gradcam.grad_cams: batched, all layers from one forward pass and one backward pass per target;
2. pytorch-grad-cam (the `grad-cam` package): one call per layer and target, batched, as its users write it;
3. a per-image loop: torchcam, one image, one layer and one target at a time, as the course repositories do.

    python bench/gradcam_speed.py [--checkpoint PATH] [--data PATH] [--images 256] [--repeats 3]

The default map (the first of EXPLAIN_SETTINGS['layers'], e.g. occlusion:8) is then timed the same way against the same
computation in Captum (`Occlusion`, one call per target, batched) for the predicted and the true class, and the two
pixel maps are checked equal to 1e-4.

Times the three in float32 (median of --repeats), then checks that they compute the same maps: each method's final
32×32 maps are min-max normalised per image and compared, in float64 (where rounding cannot hide a difference of
method; the largest float32 difference is printed too: where a layer's channel weights are means of gradients that
nearly cancel, float32 rounding differs between batch sizes by more than 1e-4). Without a checkpoint, a seeded
ResNet18 (width 64) is used; without data, synthetic images.
"""
import argparse, copy, statistics, time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from pytorch_grad_cam import GradCAM as PGCGradCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from torchcam.methods import GradCAM

from common import add_data_option, data_folder
from cifar_cam.data import to_batch, synthetic_cifar
from cifar_cam.datasets import load_dataset
from cifar_cam.gradcam import grad_cams, normalize_maps, map_spec, finish_maps
from cifar_cam.settings import EXPLAIN_SETTINGS
from cifar_cam.normalization import create_model
from cifar_cam.checkpoint import load_model

LAYERS = ['layer1', 'layer2', 'layer3', 'layer4']


def ours(model, x, y, batch_size):
    r = grad_cams(model, x, y, layers=LAYERS, targets=['predicted', 'true'], batch_size=batch_size)
    return {(t, l): r.maps[t][l] for t in r.maps for l in LAYERS}


def pytorch_grad_cam(model, x, y, batch_size):
    with torch.no_grad(): pred = torch.cat([model(x[i:i + batch_size]).argmax(1) for i in range(0, len(x), batch_size)])
    out = {}
    for t, cls in [('predicted', pred), ('true', y)]:
        for l in LAYERS:
            with PGCGradCAM(model=model, target_layers=[model.get_submodule(l)]) as cam:
                out[(t, l)] = torch.cat([torch.from_numpy(cam(input_tensor=x[i:i + batch_size],
                                                              targets=[ClassifierOutputTarget(int(c)) for c in cls[i:i + batch_size]]))
                                         for i in range(0, len(x), batch_size)])
    return out


def per_image_loop(model, x, y, batch_size):
    out = {(t, l): [] for t in ('predicted', 'true') for l in LAYERS}
    for i in range(len(x)):
        xi = x[i:i + 1]
        for l in LAYERS:
            for t in ('predicted', 'true'):
                with GradCAM(model, target_layer=l) as ext:
                    scores = model(xi)
                    cls = scores.argmax(1).item() if t == 'predicted' else int(y[i])
                    cam = ext(class_idx=cls, scores=scores, normalized=False)[0].detach()
                out[(t, l)].append(F.interpolate(normalize_maps(cam)[:, None], size=(32, 32), mode='bilinear', align_corners=False)[:, 0])
    return {k: torch.cat(v) for k, v in out.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_ck = Path.home() / '.cache/cifar_cam/runs/resnet18-w32/last.pt'
    p.add_argument('--checkpoint', default=str(default_ck) if default_ck.exists() else None)
    add_data_option(p)
    p.add_argument('--images', type=int, default=256)
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--repeats', type=int, default=3)
    a = p.parse_args()
    torch.manual_seed(0)
    if a.checkpoint: model, cfg = load_model(a.checkpoint, device='cpu'); mean, std = cfg['mean'], cfg['std']
    else: model, mean, std = create_model('resnet18').eval(), None, None
    data = data_folder(a.data)
    test = load_dataset(data).test if data.is_dir() else synthetic_cifar(n_train=1, n_test=a.images).test
    idx = np.random.default_rng(0).choice(len(test), a.images, replace=False)
    kw = {} if mean is None else dict(mean=mean, std=std)
    x = to_batch(test.images[idx], **kw)
    y = torch.from_numpy(test.labels[idx])
    print(f"{a.images} images, layers {LAYERS}, predicted + true class, batch {a.batch_size}, "
          f"model {'from ' + a.checkpoint if a.checkpoint else 'ResNet18 width 64, random init'}, {torch.get_num_threads()} threads")
    ways = {'cifar_cam grad_cams (batched, all layers per pass)': ours,
            'pytorch-grad-cam (one layer and target per call)': pytorch_grad_cam,
            'per-image loop (torchcam, one image/layer/target)': per_image_loop}
    times, maps = {k: [] for k in ways}, {}
    for _ in range(a.repeats):
        for name, f in ways.items():
            t = time.perf_counter(); maps[name] = f(model, x, y, a.batch_size); times[name].append(time.perf_counter() - t)
    norm = lambda m: {k: normalize_maps(v.float()) for k, v in m.items()}
    model64, x64 = copy.deepcopy(model).double(), x.double()
    maps64 = {name: norm(f(model64, x64, y, a.batch_size)) for name, f in ways.items()}
    ref32, ref64 = norm(maps[next(iter(ways))]), maps64[next(iter(ways))]
    for name in list(ways)[1:]:
        d64 = max((maps64[name][k] - ref64[k]).abs().max().item() for k in ref64)
        d32 = max((norm(maps[name])[k] - ref32[k]).abs().max().item() for k in ref32)
        print(f"max |difference| to cifar_cam after normalisation, {name.split(' (')[0]}: float64 {d64:.2e} "
              f"{'OK' if d64 <= 1e-4 else 'DISAGREE'} (float32 {d32:.2e})")
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items(): print(f"{k:52s} median {med[k]:7.2f} s   runs: {', '.join(f'{t:.2f}' for t in v)}")
    names = list(ways)
    print(f"ratio pytorch-grad-cam / cifar_cam: {med[names[1]] / med[names[0]]:.1f}x")
    print(f"ratio per-image loop / cifar_cam: {med[names[2]] / med[names[0]]:.1f}x")
    default_map(model, x, y, a.batch_size, a.repeats)


def default_map(model, x, y, batch_size, repeats):
    "The report's default map for the predicted and the true class: cifar_cam against Captum, timed in turn, and compared."
    from captum.attr import Occlusion
    key = EXPLAIN_SETTINGS['layers'].default[0]; spec = map_spec(key)
    if not spec.occlusion: print(f"default map {key}: no independent implementation to time it against here"); return
    side = x.shape[-1]

    def ours():
        r = grad_cams(model, x, y, layers=[key], targets=['predicted', 'true'], batch_size=batch_size, upsample=False, unit_scale=False)
        return {t: finish_maps(r.maps[t][key], side, unit_scale=False, spec=spec) for t in r.maps}, r.class_idx['predicted']

    def captum(pred):
        prob = lambda inp: model(inp).softmax(1)
        occ, chunk = Occlusion(prob), 8  # images per call: each call runs its windows in batches of `perturbations_per_eval`
        run = lambda cls: torch.cat([occ.attribute(x[i:i + chunk], target=cls[i:i + chunk], sliding_window_shapes=(3, spec.patch, spec.patch),
                                                   strides=(3, spec.stride, spec.stride), baselines=0, perturbations_per_eval=64)[:, 0]
                                     for i in range(0, len(x), chunk)])
        with torch.no_grad(): return {'predicted': run(pred), 'true': run(y)}

    t_ours, t_captum = [], []
    for _ in range(repeats):
        t = time.perf_counter(); mine, pred = ours(); t_ours.append(time.perf_counter() - t)
        t = time.perf_counter(); theirs = captum(pred); t_captum.append(time.perf_counter() - t)
    diff = max((mine[t] - theirs[t]).abs().max().item() for t in mine)
    print(f"default map {key} ({spec.patch}-px windows every {spec.stride} px), predicted + true class, {len(x)} images:")
    print(f"  cifar_cam (one set of forward passes for both classes) median {statistics.median(t_ours):6.2f} s   runs: {', '.join(f'{v:.2f}' for v in t_ours)}")
    print(f"  Captum Occlusion (one call per class)                 median {statistics.median(t_captum):6.2f} s   runs: {', '.join(f'{v:.2f}' for v in t_captum)}")
    print(f"  max |difference| of the pixel maps: {diff:.2e} {'OK' if diff <= 1e-4 else 'DISAGREE'}")
    print(f"  ratio Captum / cifar_cam: {statistics.median(t_captum) / statistics.median(t_ours):.1f}x;"
          f" {statistics.median(t_ours) / len(x) * 1e3:.1f} ms per image for both classes")


if __name__ == '__main__': main()
