"""The package's own lint, run by CI: no unused import and no `;`-joined statements (ruff's F401, E702, E703), and
no line over 120 characters, in the `cifar_cam/` modules that `nbdev-export` writes.

One exception, named here: the `__all__` list, which nbdev (not a notebook) writes and re-wraps with `pprint` at
160 characters on every export. An import an example needs goes in a non-export cell of its notebook.
"""
import subprocess, sys
from pathlib import Path

MAX = 120
PACKAGE = Path(__file__).resolve().parent.parent / 'cifar_cam'


def long_lines(path:Path)->list:
    "Lines over `MAX` characters outside nbdev's `__all__` block."
    out, in_all = [], False
    for n, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if line.startswith('__all__'): in_all = True
        if len(line) > MAX and not in_all: out.append(f"{path.name}:{n}: {len(line)} characters")
        if in_all and line.rstrip().endswith(']'): in_all = False
    return out


def main()->int:
    modules = sorted(p for p in PACKAGE.glob('*.py') if p.name != '_modidx.py')  # _modidx: nbdev's symbol index
    ruff = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--select', 'F401,E702,E703',
                           '--output-format', 'concise', *map(str, modules)], capture_output=True, text=True)
    problems = [l for l in ruff.stdout.splitlines() if l.startswith(str(PACKAGE))]
    problems += [l for p in modules for l in long_lines(p)]
    print('\n'.join(problems) or f"package lint: {len(modules)} modules, no unused import, no ';', no line over {MAX}")
    return 1 if problems or ruff.returncode not in (0, 1) else 0


if __name__ == '__main__': sys.exit(main())
