"""The package's own lint, run by CI, on the `cifar_cam/` modules that `nbdev-export` writes:

- no unused import and no `;`-joined statements (ruff's F401, E702, E703);
- no line over 120 characters, in the modules and in the pages' scripts and styles (`explorer.js`, `compare.css`, …);
- reading order is import order: a module imports only modules of notebooks numbered before its own;
- no signature defaults an image size to a bare 32 (the data's side has one home, `DEFAULT_SIZE`).

One exception, named here: the `__all__` list, which nbdev (not a notebook) writes and re-wraps with `pprint` at
160 characters on every export. An import an example needs goes in a non-export cell of its notebook.
"""
import ast, re, subprocess, sys
from pathlib import Path

MAX = 120
PACKAGE = Path(__file__).resolve().parent.parent / 'cifar_cam'
ASSETS = ('explorer.js', 'explorer.css', 'compare.js', 'compare.css')  # the pages' scripts and styles


def long_lines(path:Path)->list:
    "Lines over `MAX` characters outside nbdev's `__all__` block."
    out, in_all = [], False
    for n, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if line.startswith('__all__'): in_all = True
        if len(line) > MAX and not in_all: out.append(f"{path.name}:{n}: {len(line)} characters")
        if in_all and line.rstrip().endswith(']'): in_all = False
    return out


def notebook_of(path:Path)->str:
    "The notebook a module is exported from (nbdev's 'File to edit' line), e.g. '14_training'; None if it names none."
    found = re.search(r'File to edit: \.\./nbs/([^/]+)\.ipynb', path.read_text(encoding='utf-8'))
    return found.group(1) if found else None


def imports_backwards(modules:list)->list:
    "Each package import of a module from a notebook numbered after the importing module's own (module level or not)."
    order = {p.stem: notebook_of(p) for p in modules}
    out = []
    for p in modules:
        mine = order[p.stem]
        for node in ast.walk(ast.parse(p.read_text(encoding='utf-8'))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                theirs = order.get(node.module.split('.')[0])
                if mine and theirs and theirs > mine:
                    out.append(f"{p.name}:{node.lineno}: {mine} imports {node.module} from the later {theirs}")
    return out


def bare_sizes(modules:list)->list:
    "Parameters named like an image size (`size`, `*_size` but batch sizes, `side`) whose default is the literal 32."
    out = []
    for p in modules:
        for node in ast.walk(ast.parse(p.read_text(encoding='utf-8'))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
            args = node.args.posonlyargs + node.args.args
            pairs = list(zip(args[len(args) - len(node.args.defaults):], node.args.defaults))
            pairs += [(a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None]
            for a, d in pairs:
                name = a.arg
                sized = name in ('size', 'side', 'image_size') or (name.endswith('_size') and 'batch' not in name)
                if sized and isinstance(d, ast.Constant) and d.value == 32:
                    out.append(f"{p.name}:{d.lineno}: {node.name}({name}=32): default to DEFAULT_SIZE")
    return out


def main()->int:
    modules = sorted(p for p in PACKAGE.glob('*.py') if p.name != '_modidx.py')  # _modidx: nbdev's symbol index
    ruff = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--select', 'F401,E702,E703',
                           '--output-format', 'concise', *map(str, modules)], capture_output=True, text=True)
    problems = [l for l in ruff.stdout.splitlines() if l.startswith(str(PACKAGE))]
    problems += [l for p in [*modules, *(PACKAGE / a for a in ASSETS)] for l in long_lines(p)]
    problems += imports_backwards(modules) + bare_sizes(modules)
    print('\n'.join(problems) or f"package lint: {len(modules)} modules and {len(ASSETS)} assets: no unused import, no ';', no line over {MAX}, "
                                 "no import from a later notebook, no bare size 32")
    return 1 if problems or ruff.returncode not in (0, 1) else 0


if __name__ == '__main__': sys.exit(main())
