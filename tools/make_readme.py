"""Write README.md from nbs/index.ipynb, as `nbdev-readme` would without Quarto; `--check` only compares.

    python tools/make_readme.py           # write README.md and its figures (index_files/figure-N.png)
    python tools/make_readme.py --check   # exit 1, naming what differs, if README.md or a figure is not what it would write

Markdown cells are copied; a code cell becomes a ```python block, its source unchanged, followed by its stored outputs:
text as a plain block, a figure as index_files/figure-N.png. Hidden cells (`#| hide`) are left out. Links to the docs' own
pages (`data.html`) become links to the published docs, so they work on GitHub and PyPI. A block from a cell flagged
`slow` keeps its `#| slow` line: it needs the real CIFAR-10 and a trained run, and `tools/run_readme.py` knows it by it.
"""
import base64, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK, README, FIGURES = ROOT / 'nbs/index.ipynb', ROOT / 'README.md', ROOT / 'index_files'
DOCS = 'https://cifar-cam.github.io/cifar_cam/'
HEADER = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->'
SLOW_MARK = '#| slow'  # the directive of a cell that needs the real CIFAR-10 and a trained run


def directives(source:str)->dict:
    "The cell's `#| name args` lines as {name: args}."
    return {m[1]: m[2].strip() for m in re.finditer(r'^#\|\s*([\w-]+)(.*)$', source, re.M)}


def doc_links(text:str)->str:
    "Relative links to docs pages (`[x](data.html)`, `(data.html#anchor)`) as absolute links to the published docs."
    return re.sub(r'\]\((?!https?:|#|/)([\w.-]+\.html(?:#[\w.-]*)?)\)', lambda m: f']({DOCS}{m[1]})', text)


def render(nb:dict)->tuple:
    "The README's text and its figures {file name: PNG bytes}."
    parts, figures = [HEADER], {}
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown':
            parts.append(doc_links(src)); continue
        if cell['cell_type'] != 'code': continue
        flags = directives(src)
        if 'hide' in flags or 'exporti' in flags: continue
        code = src.strip('\n')
        if not code.strip(): continue
        parts.append('```python\n' + code + '\n```')
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if 'image/png' in data:
                name = f'figure-{len(figures) + 1}.png'
                figures[name] = base64.b64decode(''.join(data['image/png']))
                parts.append(f'![](index_files/{name})')
            elif out.get('output_type') == 'stream' or 'text/plain' in data:
                text = ''.join(out.get('text', data.get('text/plain', ''))).rstrip('\n')
                if text: parts.append('```\n' + text + '\n```')
    return '\n\n'.join(parts) + '\n', figures


def differences(text:str, figures:dict)->list:
    "What on disk is not what `render` gives."
    diff = [] if README.exists() and README.read_text() == text else ['README.md']
    diff += [f'index_files/{n}' for n, b in figures.items() if not (FIGURES / n).exists() or (FIGURES / n).read_bytes() != b]
    diff += [f'index_files/{p.name} (not made from the notebook)' for p in sorted(FIGURES.glob('figure-*.png')) if p.name not in figures]
    return diff


MAX_WORDS, MAX_LINE = 1200, 400  # a README read in five minutes, with no wall of text


def index_problems(text:str)->list:
    "The README's own rules: its notebook index lists every numbered notebook in reading order; its length and lines."
    listed = re.findall(r'^\| \[(\d\d_\w+)\]', text, flags=re.M)
    numbered = sorted(p.stem for p in NOTEBOOK.parent.glob('[0-9][0-9]_*.ipynb'))
    out = [] if listed == numbered else [f"the notebook index lists {listed}, not the notebooks in order {numbered}"]
    words = len(text.split())
    if words > MAX_WORDS: out.append(f"README.md has {words} words (at most {MAX_WORDS})")
    out += [f"README.md line {n} has {len(l)} characters (at most {MAX_LINE})"
            for n, l in enumerate(text.splitlines(), 1) if len(l) > MAX_LINE]
    return out


def main(argv=sys.argv[1:]):
    text, figures = render(json.loads(NOTEBOOK.read_text()))
    if argv == ['--check']:
        diff = differences(text, figures) + index_problems(text)
        if diff: print(f"README out of date with nbs/index.ipynb: {', '.join(diff)}; run python tools/make_readme.py"); return 1
        print('README.md and its figures are what nbs/index.ipynb makes'); return 0
    if argv: print(__doc__); return 2
    FIGURES.mkdir(exist_ok=True)
    for p in FIGURES.glob('figure-*.png'):
        if p.name not in figures: p.unlink()
    for n, b in figures.items(): (FIGURES / n).write_bytes(b)
    README.write_text(text)
    print(f'wrote README.md and {len(figures)} figure(s)'); return 0


if __name__ == '__main__': sys.exit(main())
