"""What the bench scripts share: the `--data` option, the data folder it names, and the seeds' augmentation recipe."""
from pathlib import Path

from cifar_cam.datasets import cifar10_root, unpack_image_folder
from cifar_cam.augment import preset_recipe

SEED_RECIPE = preset_recipe('seed-s8')  # 4-pixel crop, rotate ±5°, 16-px cutout


def add_data_option(p):
    "The `--data` option every script takes."
    p.add_argument('--data', default=None, help="image-folder tree or .tar.gz of one (default: cifar10_root(): $CIFAR10_ARCHIVE, "
                                                "a copy in ~/.cache/cifar_cam, or torchvision's download)")


def int_options(p, **defaults):
    "One integer option per keyword (`batch_size=128` is `--batch-size`, default 128)."
    for name, default in defaults.items(): p.add_argument('--' + name.replace('_', '-'), type=int, default=default)


def data_folder(data)->Path:
    "The folder `--data` names (a .tar.gz unpacked once), or `cifar10_root()`; may not exist (the scripts then use synthetic data)."
    data = Path(data) if data else cifar10_root()
    return unpack_image_folder(data) if data.suffix == '.gz' and data.is_file() else data
