"""Run the notebooks' tests as `nbdev-test` does (the same cells, flags and settings), but each notebook in a process of
its own, three at a time within a memory budget, and report every notebook's time and peak memory.

Why not `nbdev-test` alone: it runs the notebooks in two long-lived worker processes, and there a notebook's namespace
outlives it (IPython keeps every shell, and so every notebook's globals, until the process exits): a worker grew to
10 GB and the suite to 20 GB. Here each notebook runs in a child forked from a parent that has already imported the
libraries (no import cost per notebook), and its memory goes back to the system when it ends; two notebooks run at
together only when their peaks, measured on an earlier run and kept in tools/test_memory.json, fit the budget.
A notebook's peak is the resident memory of its process and of the processes it starts, without their resident file
pages (the libraries, shared by all): cheap to sample twice a second, and a little above the true share, since the
pages a child still shares with the parent are counted in each.

Run: python tools/test.py [--flags "slow gpu"] [--budget-gb 7] [--workers 3] [--record] [NOTEBOOK ...]"""
import argparse, atexit, json, multiprocessing as mp, os, shutil, sys, tempfile, time
os.environ.setdefault('OMP_NUM_THREADS', '1')             # one thread a notebook: two notebooks share two cores
if 'GALIP_CACHE' not in os.environ:                       # the tests neither read nor fill the user's cache (ONNX exports, timings)
    os.environ['GALIP_CACHE'] = tempfile.mkdtemp(prefix='galip-test-cache-')
    atexit.register(shutil.rmtree, os.environ['GALIP_CACHE'], True)
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from suite_memory import rss_mb, tree                     # (tools/suite_memory.py)

HERE = Path(__file__).resolve().parent
RECORD = HERE / 'test_memory.json'

def warm():
    "Import what every notebook imports, once, in the parent: the children inherit it."
    import torch, numpy, PIL.Image, open_clip, fastcore.test, execnb.shell, IPython  # noqa: F401
    import galip.model, galip.train, galip.cli, galip.evaluate  # noqa: F401

def child(fn: str, kw: dict, conn):
    from nbdev.test import test_nb
    try: ok, secs = test_nb(Path(fn), **kw)
    except BaseException as e: ok, secs = False, 0.0; print(f'{fn}: {type(e).__name__}: {e}', file=sys.stderr)
    conn.send((bool(ok), float(secs))); conn.close()

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='*', type=Path, help="notebooks to test (default: all of nbs/, as nbdev-test)")
    ap.add_argument('--flags', default='', help="test flags to run that are normally skipped, e.g. 'slow gpu'")
    ap.add_argument('--workers', type=int, default=3, help="notebooks at once (default: %(default)s: on 2 cores, a third fills the "
                    "time the others spend waiting on their subprocesses, servers and sleeps)")
    ap.add_argument('--budget-gb', type=float, default=7.0, help="memory the notebooks running together may need (default: %(default)s)")
    ap.add_argument('--record', action='store_true', help=f"write each notebook's time and peak memory to {RECORD.relative_to(HERE.parent)}")
    a = ap.parse_args()
    from nbdev.config import get_config
    from nbdev.doclinks import nbglob
    cfg = get_config()
    files = [p.resolve() for p in a.notebooks] or sorted(nbglob(cfg.nbs_path, as_path=True))
    skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags or [])
    kw = dict(skip_flags=skip, force_flags=a.flags.split(), basepath=cfg.config_path, cell_timeout=cfg.cell_timeout or None)
    known = json.loads(RECORD.read_text()) if RECORD.is_file() else {}
    guess = lambda f, k, d: known.get(f.name, {}).get(k, d)
    pending = sorted(files, key=lambda f: -guess(f, 'seconds', 30))   # the longest first: the two lanes end together
    budget = a.budget_gb * 1024
    os.chdir(cfg.nbs_path)
    warm()
    ctx, running, results, peak_total, t0 = mp.get_context('fork'), {}, {}, 0.0, time.perf_counter()
    while pending or running:
        while pending and len(running) < a.workers:
            need = sum(guess(f, 'peak_mb', 3000) for f in running)
            pick = next((f for f in pending if need + guess(f, 'peak_mb', 3000) <= budget), None if running else pending[0])
            if pick is None: break
            pending.remove(pick)
            recv, send = ctx.Pipe(duplex=False)
            p = ctx.Process(target=child, args=(str(pick), kw, send)); p.start(); send.close()
            running[pick] = dict(proc=p, conn=recv, peak=0.0, start=time.perf_counter())
        sizes = {f: sum(rss_mb(pid, private=True) for pid in tree(r['proc'].pid)) for f, r in running.items()}
        for f, mb in sizes.items(): running[f]['peak'] = max(running[f]['peak'], mb)
        peak_total = max(peak_total, sum(sizes.values()) + rss_mb(os.getpid()))
        for f, r in list(running.items()):
            if not r['proc'].is_alive():
                ok, secs = r['conn'].recv() if r['conn'].poll() else (False, time.perf_counter() - r['start'])
                r['proc'].join()
                results[f] = dict(ok=ok, seconds=round(time.perf_counter() - r['start'], 1), peak_mb=round(r['peak']))
                del running[f]
        time.sleep(0.5)
    wall = time.perf_counter() - t0
    for f, r in sorted(results.items(), key=lambda kv: -kv[1]['seconds']):
        print(f"{f.name:32} {'ok' if r['ok'] else 'FAILED':6} {r['seconds']:7.1f} s {r['peak_mb'] / 1024:6.2f} GB")
    failed = [f.name for f, r in results.items() if not r['ok']]
    print(f"{len(results) - len(failed)} of {len(results)} notebooks passed in {wall:.0f} s; peak memory of the run "
          f"(this process's resident memory and the notebooks' own, without the libraries' pages): {peak_total / 1024:.2f} GB")
    if a.record and not a.notebooks:
        RECORD.write_text(json.dumps({f.name: dict(seconds=r['seconds'], peak_mb=r['peak_mb']) for f, r in sorted(results.items())}, indent=1) + '\n')
    if failed: print('failed: ' + ', '.join(failed), file=sys.stderr); sys.exit(1)
    print('Success.')

if __name__ == '__main__': main()
