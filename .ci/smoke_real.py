"""CI check of the main job on the real CIFAR-10 copy: `cifar-cam train --preset smoke --epochs 1`, then `cifar-cam explain`.

    python .ci/smoke_real.py ARCHIVE WORKDIR

Then the same on a folder of other classes: five CIFAR-10 classes renamed (one name is `<b>&"'`, which every page must show as
text) and upscaled to 48×48, trained with `--width 8 --epochs 1`: the report names the five classes, as text, at size 48.

Checks (with one test-time view, `--tta none`, to keep CI short): the run finishes in under 10 minutes and writes every output file; `explain` on its checkpoint reproduces
the same gallery; report.html, opened in headless Chromium, decodes the curves, the gallery and the CAM grids and
does not render blank (skipped, with a message, where there is no Chromium). Prints PASSED or FAILED lines.
"""
import html, json, shutil, subprocess, sys, time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'tests'))  # the browser-test harness
from browser import browse_report, find_chromium, headless_chromium, wait_rendered
from cifar_cam.datasets import unpack_image_folder
from cifar_cam.faithfulness import verdict

EXPECTED = ['best.pt', 'cams.png', 'config.json', 'confusion_matrix.png', 'curves.png', 'explorer.html', 'gallery.png', 'history.csv',
            'history_steps.csv', 'label_issues.csv', 'last.pt', 'lr_finder.png', 'metrics.json', 'report.html', 'train_label_issues.png']


FIVE = {'cat': 'kitten', 'dog': '<b>&"\'', 'frog': 'Frog (green)', 'ship': 'ship', 'truck': 'lorry'}  # CIFAR-10 class: its new name


def five_class_folder(data:Path, dest:Path, train:int=400, test:int=100, size:int=48)->Path:
    "The first `train`/`test` images of five CIFAR-10 classes, renamed (`FIVE`) and upscaled to `size`×`size` PNGs."
    from PIL import Image
    shutil.rmtree(dest, ignore_errors=True)
    for split, n in (('train', train), ('test', test)):
        for old, new in FIVE.items():
            (dest / split / new).mkdir(parents=True)
            for f in sorted((data / split / old).iterdir())[:n]:
                Image.open(f).convert('RGB').resize((size, size), Image.BICUBIC).save(dest / split / new / (f.stem + '.png'))
    return dest


def check_five(cli:str, data:Path, work:Path, check, extra=('--lr', '0.05')):
    "`cifar-cam train --data <five renamed classes at 48×48> --width 8 --epochs 1`: its report names them, as text, at size 48."
    folder = five_class_folder(data, work / 'five-48')
    start = time.time()  # `extra`: a fixed rate skips the range test, most of this small run's time in CI
    r = subprocess.run([cli, 'train', '--data', str(folder), '--width', '8', '--epochs', '1', *extra, '--out', str(work / 'five'), '--quiet'], timeout=900)
    check(r.returncode == 0, f"cifar-cam train --data <5 renamed classes, 48×48> --width 8 --epochs 1 {' '.join(extra)}: exit {r.returncode} in {time.time() - start:.0f} s")
    if r.returncode: return
    cfg, page = json.loads((work / 'five/config.json').read_text()), (work / 'five/report.html').read_text()
    names = sorted(FIVE.values())
    check(cfg['data']['classes'] == names and cfg['data']['size'] == 48, f"config.json: classes {cfg['data']['classes']}, size {cfg['data']['size']}")
    check(all(html.escape(n) in page for n in names) and FIVE['dog'] not in page, "report.html names the five classes, the HTML-like one escaped, never raw")
    driver = headless_chromium()
    if driver is None: print("SKIPPED the five-class report in Chromium: no chromedriver"); return
    wait_rendered(driver, (work / 'five/report.html').resolve().as_uri())
    shown = driver.execute_script("return [...document.querySelectorAll('.cc-cm th[data-true]')].map(e => e.textContent)")
    bold = driver.execute_script("return document.querySelectorAll('#cc-explorer b').length")
    size = driver.execute_script("return JSON.parse(document.getElementById('cc-meta').textContent).size")
    driver.quit()
    check(shown == names and bold == 0 and size == 48, f"in Chromium the explorer shows the names as text ({shown}), no <b> element ({bold}), images of {size}×{size}")


def main(archive, work):
    work = Path(work); work.mkdir(parents=True, exist_ok=True)
    for old in ('run', 'again', 'five'): shutil.rmtree(work / old, ignore_errors=True)  # start from empty output folders
    cli = str(Path(sys.executable).with_name('cifar-cam'))
    data = unpack_image_folder(archive, work / 'cifar10')
    failures = []
    def check(ok, what):
        print(('PASSED ' if ok else 'FAILED ') + what, flush=True)
        if not ok: failures.append(what)

    start = time.time()
    # One epoch and one view per evaluation (--epochs 1 --tta none): the smoke checks the whole pipeline on real data, not the accuracy, and the six
    # views of the default TTA were most of its time; the TTA paths are tested on small data in 03, 05 and 07.
    # The limit guards against a hang, not a speed: on a 2-core AVX2-only CPU (fp32) this command takes over 10 minutes.
    r = subprocess.run([cli, 'train', '--preset', 'smoke', '--epochs', '1', '--tta', 'none', '--data', str(data), '--out', str(work / 'run'), '--quiet'], timeout=2400)
    took = time.time() - start
    check(r.returncode == 0 and took < 1800, f"cifar-cam train --preset smoke on real CIFAR-10: exit {r.returncode} in {took:.0f} s (limit 1800 s)")
    files = sorted(p.name for p in (work / 'run').iterdir()) if (work / 'run').exists() else []
    check(files == EXPECTED, f"run/ holds {EXPECTED}" + ('' if files == EXPECTED else f"; found {files}"))
    if r.returncode: return failures
    m = json.loads((work / 'run/metrics.json').read_text())
    f = m['faithfulness']; key = f['default']
    print(f"  test accuracy {m['test_accuracy']:.4f}, lr {m['lr']:.3g}, default map {key} deletion/insertion AUC "
          + ', '.join(f"{k} {f['layers'][key][k]['deletion_auc']['mean']:.3f}/{f['layers'][key][k]['insertion_auc']['mean']:.3f}" for k in ('map', 'shuffled', 'noise'))
          + f", blob {f['blob']['deletion_auc']['mean']:.3f}/{f['blob']['insertion_auc']['mean']:.3f}; beats its controls: {verdict(f)['beats']}")

    # the gallery does not depend on the maps: one map (not the report's three) keeps this second explanation short
    r = subprocess.run([cli, 'explain', '--checkpoint', str(work / 'run/last.pt'), '--data', str(data), '--out', str(work / 'again'), '--layers', 'layer2'], timeout=2400)
    same = r.returncode == 0 and (work / 'again/gallery.png').read_bytes() == (work / 'run/gallery.png').read_bytes()
    check(same, "cifar-cam explain on the run's checkpoint reproduces the same gallery.png, byte for byte")

    if find_chromium() is None:
        print("SKIPPED report.html in Chromium: no Chromium on this machine (Debian: apt-get install chromium)")
        return failures
    decoded = browse_report(work / 'run/report.html', screenshot=work / 'report.png')
    check({'curves', 'gallery', 'cams'} <= set(decoded), f"Chromium decoded the report's images: {decoded}")
    shot = plt.imread(work / 'report.png')[..., :3]
    check(shot.std() > 0.05 and (np.abs(shot[..., 0] - shot[..., 2]) > 0.2).mean() > 0.001,
          f"the report's screenshot ({shot.shape[1]}×{shot.shape[0]}) is not blank")
    driver = headless_chromium()
    if driver is None: print("SKIPPED the explorer in Chromium: no chromedriver"); return failures
    url = (work / 'run/report.html').resolve().as_uri()
    took = sorted(wait_rendered(driver, url) for _ in range(3))[1]
    shown, offered = driver.execute_script("const r = document.getElementById('cc-explorer'); return [+r.dataset.shown, +r.dataset.mistakes]")
    driver.quit()
    size = (work / 'run/report.html').stat().st_size
    check(shown == offered == m['misclassified'], f"the report's explorer offers and shows all {m['misclassified']} mistakes ({shown}, {offered})")
    check(took < 3, f"report.html ({size / 1e6:.1f} MB, {size / max(1, m['misclassified']) / 1e3:.1f} KB per mistake) rendered in {took:.2f} s (median of 3; limit 3 s)")
    check_five(cli, data, work, check)  # five renamed classes at 48×48: names as text, another size
    return failures


if __name__ == '__main__':
    sys.exit(1 if main(*sys.argv[1:3]) else 0)
