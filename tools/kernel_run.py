"""Run chapters top to bottom in a real Jupyter kernel, as a reader on a CPU machine would, and check that they leave no
temporary folder behind. Cells marked `#| gpu` run as written (on a machine without a GPU they must say they were
skipped); cells marked `#| slow` are left out unless --all is given (nbdev-test leaves them out too).

Run: python tools/kernel_run.py nbs/07_fast.ipynb nbs/11_train.ipynb [--all] [--fail-after TEXT]
--fail-after TEXT stops each chapter with an error after the first code cell holding TEXT: it must still clean up."""
import argparse, os, re, shutil, sys, tempfile, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ANSI = re.compile(r'\x1b\[[0-9;]*m')
CACHES = ('torchinductor_', 'triton')          # compilers' caches, kept across runs on purpose: not a chapter's leftovers

def flags(cell) -> set[str]:
    "The `#| slow` / `#| gpu` directives of a code cell."
    return {m for line in cell.source.splitlines() for m in re.findall(r'^#\|\s*(slow|gpu)\s*$', line)}

def run(path: Path, every: bool, fail_after: str | None, timeout: int) -> tuple[str, list[str]]:
    "Execute one chapter in a fresh kernel whose temporary folder is new; (what happened, what it left behind)."
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type != 'code' or every or 'slow' not in flags(c)]
    if fail_after is not None:
        at = next(i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and fail_after in c.source)
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell("raise RuntimeError('a cell failed here (kernel_run --fail-after)')"))
    scratch = Path(tempfile.mkdtemp(prefix='kernel-run-'))
    old = os.environ.get('TMPDIR'); os.environ['TMPDIR'] = str(scratch)      # the kernel's temporary files go here
    t = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
        said = 'ran'
    except CellExecutionError as e:
        said = 'stopped: ' + ANSI.sub('', str(e).strip().splitlines()[-1])[:160]
    finally:
        if old is None: os.environ.pop('TMPDIR', None)
        else: os.environ['TMPDIR'] = old
    gpu = [c for c in nb.cells if c.cell_type == 'code' and 'gpu' in flags(c)]
    skipped = sum('skipped' in ''.join(o.get('text', '') for o in c.get('outputs', [])) for c in gpu)
    left = sorted(p.name for p in scratch.iterdir() if not p.name.startswith(CACHES))
    shutil.rmtree(scratch, ignore_errors=True)
    return f"{said} in {time.perf_counter() - t:.0f} s; {len(gpu)} GPU cell(s), {skipped} said skipped", left

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='+', type=Path)
    ap.add_argument('--all', action='store_true', help="run #| slow cells too")
    ap.add_argument('--fail-after', metavar='TEXT', help="raise an error after the first code cell that holds TEXT")
    ap.add_argument('--timeout', type=int, default=1200, help="seconds a cell may take (default: %(default)s)")
    a = ap.parse_args()
    bad = 0
    for p in a.notebooks:
        said, left = run(p, a.all, a.fail_after, a.timeout)
        ok = not left and (said.startswith('ran') if a.fail_after is None else 'kernel_run --fail-after' in said)
        bad += not ok
        print(f"{p.name}: {said}; left behind: {left or 'nothing'}" + ('' if ok else '  <- FAILED'))
    sys.exit(1 if bad else 0)
