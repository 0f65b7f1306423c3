"""Print the site-packages entries of torch, torchvision and everything they depend on, in this Python.

    python .ci/preinstalled_torch.py DEST

Links them into DEST (symlinks), so that a fresh venv with a `.pth` file naming DEST starts with torch "preinstalled",
as Colab and Kaggle have it, without copying gigabytes of wheels. Nothing else of this venv is visible there.
"""
import importlib.metadata as md, os, sys
from pathlib import Path
from packaging.requirements import Requirement

def closure(names):
    "The distributions `names` need, recursively: requirements whose markers hold here, with the extras asked for."
    seen, done, todo = {}, set(), [(n, ()) for n in names]
    while todo:
        name, extras = todo.pop()
        key = (name.lower().replace('_', '-'), extras)
        if key in done: continue
        done.add(key)
        try: dist = md.distribution(name)
        except md.PackageNotFoundError: continue
        seen[key[0]] = dist
        for r in map(Requirement, dist.requires or []):
            if r.marker is None or any(r.marker.evaluate({'extra': e}) for e in ('', *extras)): todo.append((r.name, tuple(sorted(r.extras))))
    return seen.values()

dest = Path(sys.argv[1]); dest.mkdir(parents=True, exist_ok=True)
tops = set()
for dist in closure(['torch', 'torchvision']):
    for f in dist.files or []:
        top = f.parts[0]
        if top not in ('..', 'bin', '__pycache__') and not top.endswith('.pth'): tops.add(Path(dist.locate_file(top)))
for p in sorted(tops):
    if p.exists() and not (dest / p.name).exists(): os.symlink(p, dest / p.name)
print(len(tops), 'entries linked into', dest)
