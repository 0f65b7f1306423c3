"""Accuracy against time: `cifar-cam train` on the real CIFAR-10 for a grid of recipes, one after the other.

    python bench/frontier.py --data PATH [--points NAME,NAME] [--seed 0] [--table bench/frontier.csv] [--work DIR]
    python bench/frontier.py --plot nbs/images/frontier.png [--table bench/frontier.csv] [--cpu NAME]
    python bench/frontier.py --points NAME --record RUN_DIR WALL_SECONDS [--seed S]

Each point is `cifar-cam train --data PATH --preset default --quiet --seed S` plus the options of `POINTS` (every
setting the point changes is spelt out, so a later change of a preset does not change a point). One row per run is
appended to the table: the point, its options, the seed, the whole command's wall time, the seconds of the training
passes and of the evaluations after each epoch (from history.csv), the rest (data, range test, final float32 pass,
maps, report), `final_test_accuracy`, the CPU's model name and whether it has AVX512-BF16 (`auto` precision is bf16
there, fp32 elsewhere). `--plot` draws accuracy against minutes, the frontier (the points no other point beats in both)
joined by a line.
"""
import argparse, csv, json, platform, shlex, subprocess, sys, time
from pathlib import Path

from common import add_data_option, data_folder
from cifar_cam.history import History

FAST = '--arch fastnet --batch-size 512 --lr 0.75 --weight-decay 0.0013'  # the fast net's recipe (04_fastnet: airbench93's rates for batch 512)
FAST94 = '--momentum 0.85 --growth 4'
POINTS = {  # name: the options on top of the `default` preset
    'w16-e6':  '--width 16 --epochs 6',
    'w16-e8':  '--width 16 --epochs 8',
    'w16-e10': '--width 16 --epochs 10',  # the `cpu` preset before this benchmark
    'w16-e12-p50': '--width 16 --epochs 12 --progressive 0.5',
    'w16-e14-p50': '--width 16 --epochs 14 --progressive 0.5',
    'w16-e14-p50-ee4': '--width 16 --epochs 14 --progressive 0.5 --eval-every 4',
    'w16-e16-p50': '--width 16 --epochs 16 --progressive 0.5',
    'w16-e16-p62-ee4': '--width 16 --epochs 16 --progressive 0.625 --eval-every 4',  # 10 epochs at 24 px, 6 at 32; tested every 4
    'w16-e18-p75-ee4': '--width 16 --epochs 18 --progressive 0.75 --eval-every 4',
    'w32-e5-p40': '--width 32 --epochs 5 --progressive 0.4',
    'w32-e5-p40-ee5': '--width 32 --epochs 5 --progressive 0.4 --eval-every 5',
    'fast-w64-e10': f'{FAST} --width 64 --epochs 10 --eval-every 5',
    'fast-w64-e12': f'{FAST} --width 64 --epochs 12 --eval-every 6',
    'fast-w64-e14': f'{FAST} --width 64 --epochs 14 --eval-every 7',
    'fast-w64-e16': f'{FAST} --width 64 --epochs 16 --eval-every 8',
    'fast-w32-e8': f'{FAST} --width 32 --epochs 8 --eval-every 4',
    'fast-w32-e10': f'{FAST} --width 32 --epochs 10 --eval-every 5',
    'fast-w48-e8': f'{FAST} --width 48 --epochs 8 --eval-every 4',
    'fast-w48-e10': f'{FAST} --width 48 --epochs 10 --eval-every 5',
    'fast-w64-e5': f'{FAST} --width 64 --epochs 5 --eval-every 5',
    'fast-w64-e16-p50': f'{FAST} --width 64 --epochs 16 --progressive 0.5 --eval-every 8',  # `cpu` until 2026-12-04
    'fast-w64-e20-p50': f'{FAST} --width 64 --epochs 20 --progressive 0.5 --eval-every 10',
    'fast-w32-e16': f'{FAST} --width 32 --epochs 16 --eval-every 8',
    'fast-w48-e12-p50': f'{FAST} --width 48 --epochs 12 --progressive 0.5 --eval-every 6',
    'fast-w48-e12-p50-ee12': f'{FAST} --width 48 --epochs 12 --progressive 0.5 --eval-every 12',  # `quick` until 2026-12-04
    # airbench's momentum (0.85, to which its rates were converted) and airbench94's widths: layer2 and layer3 4x `--width`
    'fast-g4-w64-e12-p50': f'{FAST} {FAST94} --width 64 --epochs 12 --progressive 0.5 --eval-every 8',  # the `cpu` preset
    'fast-g4-w32-e12-p50-ee12': f'{FAST} {FAST94} --width 32 --epochs 12 --progressive 0.5 --eval-every 12',  # `quick`
    'fast-g4-w64-e12-ee12': f'{FAST} {FAST94} --width 64 --epochs 12 --eval-every 12',
    # shorter runs of the two widths: the points `--minutes` plans from on slower machines
    'fast-g4-w32-e4-p50-ee4': f'{FAST} {FAST94} --width 32 --epochs 4 --progressive 0.5 --eval-every 4',
    'fast-g4-w32-e8-p50-ee8': f'{FAST} {FAST94} --width 32 --epochs 8 --progressive 0.5 --eval-every 8',
    'fast-g4-w64-e6-p50-ee6': f'{FAST} {FAST94} --width 64 --epochs 6 --progressive 0.5 --eval-every 6',
    'fast-g4-w16-e4-p50-ee4': f'{FAST} {FAST94} --width 16 --epochs 4 --progressive 0.5 --eval-every 4',
    'fast-g4-w16-e8-p50-ee8': f'{FAST} {FAST94} --width 16 --epochs 8 --progressive 0.5 --eval-every 8',
}
family = lambda point: 'fastnet' if point.startswith('fast') else 'resnet18'
COLUMNS = ['point', 'options', 'seed', 'wall_s', 'train_s', 'eval_s', 'rest_s', 'final_test_accuracy', 'cpu', 'bf16']


def cpu()->tuple:
    "The CPU's model name and whether it has AVX512-BF16 (Linux: /proc/cpuinfo)."
    info = Path('/proc/cpuinfo').read_text() if Path('/proc/cpuinfo').exists() else ''
    name = next((l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name')), platform.processor())
    return name, 'avx512_bf16' in info


def run_point(name:str, data:Path, work:Path, seed:int)->dict:
    "Train point `name` into `work/name-sSEED` (replaced) and return its row."
    out = work / f'{name}-s{seed}'
    cli = Path(sys.executable).with_name('cifar-cam')
    args = [str(cli), 'train', '--data', str(data), '--out', str(out), '--overwrite', '--quiet', '--preset', 'default',
            '--seed', str(seed), *shlex.split(POINTS[name])]
    start = time.perf_counter()
    subprocess.run(args, check=True)
    return point_row(name, out, seed, time.perf_counter() - start)


def point_row(name:str, out:Path, seed:int, wall:float)->dict:
    "The table's row of a finished run of point `name` in `out` whose whole command took `wall` seconds."
    h = History.load(out / 'history.csv')
    train_s, eval_s = sum(h['train_s']), sum(h['eval_s'])
    acc = json.loads((out / 'metrics.json').read_text())['final_test_accuracy']
    model, bf16 = cpu()
    return dict(point=name, options=POINTS[name], seed=seed, wall_s=round(wall, 1), train_s=round(train_s, 1), eval_s=round(eval_s, 1),
                rest_s=round(wall - train_s - eval_s, 1), final_test_accuracy=round(acc, 4), cpu=model, bf16=bf16)


def append_row(table:Path, row:dict):
    new = not table.exists()
    with table.open('a', newline='') as f:
        w = csv.DictWriter(f, COLUMNS)
        if new: w.writeheader()
        w.writerow(row)
    print(', '.join(f'{k} {row[k]}' for k in COLUMNS[:-2]), flush=True)


def read_table(path:Path)->list: return list(csv.DictReader(path.open())) if path.exists() else []


def on_cpu(rows:list, cpu:str=None)->list:
    "The rows measured on `cpu` (default: the CPU of the table's last row): times from different machines are not compared."
    cpu = rows[-1]['cpu'] if cpu is None and rows else cpu
    return [r for r in rows if r['cpu'] == cpu]


def by_point(rows:list)->list:
    "One row per point: the mean wall time and accuracy of its runs (its seeds), and how many runs (`rows` of one CPU)."
    points = {}
    for r in rows: points.setdefault(r['point'], []).append(r)
    mean = lambda rs, k: sum(float(r[k]) for r in rs) / len(rs)
    return [dict(point=k, wall_s=mean(rs, 'wall_s'), final_test_accuracy=mean(rs, 'final_test_accuracy'), runs=len(rs), cpu=rs[0]['cpu']) for k, rs in points.items()]


def frontier(rows:list)->list:
    "The points (`by_point`: seeds averaged) no other point beats in both wall time and accuracy, fastest first."
    rows = sorted(by_point(rows), key=lambda r: (float(r['wall_s']), -float(r['final_test_accuracy'])))
    best, out = -1., []
    for r in rows:
        if float(r['final_test_accuracy']) > best: out.append(r); best = float(r['final_test_accuracy'])
    return out


def plot(rows:list, path:Path):
    "Accuracy against minutes, every run a dot named by its point, the frontier a line."
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    colour = {'resnet18': 'tab:blue', 'fastnet': 'tab:green'}
    for r in rows:  # every run
        ax.scatter(float(r['wall_s']) / 60, 100 * float(r['final_test_accuracy']), color=colour[family(r['point'])], s=12, alpha=0.5)
    for name, c in colour.items(): ax.scatter([], [], color=c, s=12, label=name)
    placed = []
    for r in sorted(by_point(rows), key=lambda r: r['wall_s']):  # every point, its runs averaged; a name near another's goes under it
        x, y = r['wall_s'] / 60, 100 * r['final_test_accuracy']
        near = any(abs(x - px) < 0.6 and abs(y - py) < 0.3 for px, py in placed); placed.append((x, y))
        ax.annotate(r['point'] + (f" ({r['runs']} runs)" if r['runs'] > 1 else ''), (x, y), textcoords='offset points', xytext=(4, -20 if near else -10), fontsize=7)
    f = frontier(rows)
    ax.plot([float(r['wall_s']) / 60 for r in f], [100 * float(r['final_test_accuracy']) for r in f], color='tab:orange', label='frontier')
    ax.axvline(13, color='grey', ls=':', label='13 minutes'); ax.axvline(5, color='grey', ls='-.', label='5 minutes')
    ax.axhline(91, color='grey', ls='--', label='91 %'); ax.axhline(88, color='grey', ls=(0, (1, 3)), label='88 %')
    ax.set_xlabel('wall time of `cifar-cam train`, minutes'); ax.set_ylabel('final test accuracy, % (flip-shift TTA)')
    ax.set_title(f"ResNet18 and fastnet on the real CIFAR-10, 2-core {rows[0]['cpu']}{' (bf16)' if rows[0]['bf16'] == 'True' else ''}", fontsize=8)
    ax.legend(fontsize=7)
    fig.tight_layout(); fig.savefig(path, dpi=110)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_option(p)
    p.add_argument('--points', default=','.join(POINTS), help=f"comma-separated, of: {', '.join(POINTS)}")
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--table', default=str(Path(__file__).with_name('frontier.csv')))
    p.add_argument('--work', default='/tmp/cifar_cam_frontier', help='folder of the runs')
    p.add_argument('--plot', default=None, help='draw the table to this image instead of running')
    p.add_argument('--record', nargs=2, metavar=('RUN', 'WALL_S'), help="append the row of a run of --points (one point) made by hand, with its command's wall seconds")
    p.add_argument('--cpu', default=None, help="plot and rank the rows of this CPU (default: the table's last row's)")
    a = p.parse_args()
    table = Path(a.table)
    if a.record:  # a run of a point made by hand (e.g. under /usr/bin/time): its folder and the command's wall seconds
        run, wall = a.record
        append_row(table, point_row(a.points, Path(run), a.seed, float(wall))); return
    if a.plot: plot(on_cpu(read_table(table), a.cpu), Path(a.plot)); return
    names = a.points.split(',')
    if bad := [n for n in names if n not in POINTS]: sys.exit(f"frontier.py: unknown point(s) {bad}; choose of {list(POINTS)}")
    data = data_folder(a.data)
    for name in names:
        append_row(table, run_point(name, data, Path(a.work), a.seed))
    for r in frontier(on_cpu(read_table(table), a.cpu)): print(f"frontier: {r['point']} ({r['runs']} runs) {r['wall_s'] / 60:.1f} min {r['final_test_accuracy']:.4f}")


if __name__ == '__main__': main()
