"""Stress test of a two-process run's exit: N runs in a row of the scripts that showed the gloo abort, with the other core kept busy.

The abort ("terminate called without an active exception", SIGABRT in one process after its work; see 10_distributed,
"Leaving together") came from a gloo worker thread releasing a Python object while the interpreter shut down. This script
runs, each N times under torchrun with 2 processes while a third process spins on a core:
  - `grads`: one SyncBatchNorm step of a ResNet18 in float32 (03a's gradient check), the script that showed it;
  - `train`: 03a's two-process training script (3 epochs of a width-8 BatchNorm ResNet18 on synthetic data);
  - `cli`: `cifar-cam train --nproc 2` on a tiny synthetic image folder (`--cli-runs`, default 24).
It prints each script's count of runs that did not exit 0, and of those that aborted, and keeps the stderr of any that failed.

    python bench/ddp_exit.py --runs 50            # about 25 minutes on 2 cores
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path

GRADS = """
import sys, torch, torch.nn.functional as F
from cifar_cam.distributed import init_distributed, rank_and_world, settle, shard, sync_batchnorm, wrap_ddp
from cifar_cam.normalization import create_model
init_distributed('cpu')
rank, world = rank_and_world()
torch.manual_seed(0); x, y = torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))
torch.manual_seed(1); model = wrap_ddp(sync_batchnorm(create_model('resnet18', 'batch', 8), 'cpu'), torch.device('cpu'))
F.cross_entropy(model(shard(x, rank, world)), shard(y, rank, world)).backward()
if rank == 0: torch.save([p.grad for p in model.parameters()], sys.argv[1])
settle()
"""

TRAIN = """
import sys
from cifar_cam.data import synthetic_cifar
from cifar_cam.distributed import init_distributed
from cifar_cam.training import create_learner
from cifar_cam.augment import preset_recipe
device = init_distributed('cpu')
learn = create_learner(synthetic_cifar(n_train=256, n_test=100, seed=0), norm='batch', width=8, batch_size=64, device=device,
                       lr=0.01, precision='fp32', channels_last=False, ema=0.25, out=sys.argv[1], progress='none',
                       **preset_recipe('seed-s8'))  # the seeds' recipe (bench/common.py's SEED_RECIPE)
learn.fit(3)
"""


def busy_core()->subprocess.Popen:
    "A process that keeps one core busy until killed."
    return subprocess.Popen([sys.executable, '-c', 'while True: pass'])


def run_many(name:str, command, runs:int, folder:Path)->dict:
    "Run `command(i)` `runs` times; count the runs that failed and those that aborted; keep the stderr of failures."
    failed = aborted = 0
    start = time.monotonic()
    for i in range(runs):
        r = subprocess.run(command(i), capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
        if r.returncode:
            failed += 1; aborted += 'terminate called without an active exception' in r.stderr
            (folder / f'{name}_{i}.stderr').write_text(r.stderr)
    return dict(script=name, runs=runs, failed=failed, aborted=aborted, seconds=round(time.monotonic() - start))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--runs', type=int, default=50, help='runs of each torchrun script')
    p.add_argument('--cli-runs', type=int, default=24, help='runs of `cifar-cam train --nproc 2`')
    p.add_argument('--scripts', default='grads,train,cli', help='which to run, comma-separated')
    args = p.parse_args()
    folder = Path(tempfile.mkdtemp(prefix='ddp_exit_'))
    torchrun = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc-per-node=2']
    (folder / 'grads.py').write_text(GRADS); (folder / 'train.py').write_text(TRAIN)
    commands = dict(grads=(lambda i: [*torchrun, str(folder / 'grads.py'), str(folder / f'g{i}.pt')], args.runs),
                    train=(lambda i: [*torchrun, str(folder / 'train.py'), str(folder / f'train{i}')], args.runs))
    if 'cli' in args.scripts:
        from cifar_cam.data import synthetic_cifar
        from cifar_cam.datasets import write_image_folder
        data = write_image_folder(synthetic_cifar(256, 64, seed=0), folder / 'data')
        commands['cli'] = (lambda i: [sys.executable, '-m', 'cifar_cam', 'train', '--data', str(data), '--out', str(folder / f'cli{i}'),
                                      '--nproc', '2', '--preset', 'smoke', '--width', '8', '--epochs', '1', '--lr', '0.05',
                                      '--batch-size', '64', '--device', 'cpu', '--quiet'], args.cli_runs)
    busy = busy_core()
    try:
        results = [run_many(name, command, runs, folder) for name, (command, runs) in commands.items() if name in args.scripts.split(',')]
    finally: busy.kill()
    for r in results: print(f"{r['script']:>5}: {r['runs'] - r['failed']} of {r['runs']} runs exited 0; {r['aborted']} aborted ({r['seconds']} s)")
    print(f"stderr of failed runs: {folder}" if any(r['failed'] for r in results) else "every run exited 0")
    sys.exit(1 if any(r['failed'] for r in results) else 0)


if __name__ == '__main__': main()
