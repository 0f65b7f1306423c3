"""Run README.md's Python blocks as written, in order, in one namespace, as a newcomer who copies them would.

    python tools/run_readme.py          # the blocks a clone can run anywhere (the tour)
    python tools/run_readme.py --slow   # all of them: the real-data blocks need $CIFAR10_ARCHIVE (or a cached copy) and
                                        # $CIFAR_CAM_RUN, a run folder with last.pt (CI uses its real-data smoke run)

Prints one PASSED or FAILED line; exit 1 if a block raised.
"""
import os, re, sys, traceback
from pathlib import Path

import matplotlib
matplotlib.use('Agg')

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_readme import README, SLOW_MARK


def python_blocks(text:str)->list:
    "The README's ```python blocks, in order."
    return re.findall(r'^```python\n(.*?)^```', text, re.S | re.M)


def main(argv=sys.argv[1:]):
    slow = '--slow' in argv
    blocks = python_blocks(README.read_text())
    namespace, ran = {'__name__': '__readme__'}, 0
    for i, block in enumerate(blocks, 1):
        if SLOW_MARK in block and not slow: continue
        try: exec(compile(block, f'README.md python block {i}', 'exec'), namespace)
        except Exception:
            traceback.print_exc()
            print(f"FAILED README.md's Python blocks: block {i} of {len(blocks)} raised (above)"); return 1
        ran += 1
    print(f"PASSED README.md's Python blocks: {ran} of {len(blocks)} ran as written{'' if slow else ' (the real-data ones need --slow)'}")
    return 0


if __name__ == '__main__': sys.exit(main())
