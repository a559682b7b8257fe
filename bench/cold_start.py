"""Cold start of `galip sample` on the shipped model: the whole process, torch against the ONNX export.

    python bench/cold_start.py                  # 5 runs each, alternating; prints medians and writes nothing
    python bench/cold_start.py --json out.json

Each run is a new `galip sample "a large red circle in the center"` process (4 images, a PNG grid), timed from its
start to its exit, with its peak resident memory (the kernel's count for that process). The torch path is
`--engine torch`; the ONNX path is the default `--engine auto` after `galip export --onnx` has put the shipped model's
export in a cache folder of this script's own (GALIP_CACHE), so nothing outside is touched. The export, and the first
ONNX run (which times the installed engines once on this machine and remembers the answer), are timed apart and not
counted. Runs alternate (torch, ONNX, torch, ...) so that both see the same machine.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

PROMPT = 'a large red circle in the center'


def run(cmd, env):
    "Wall seconds and peak resident MB of one whole process."
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0: raise SystemExit(f"{' '.join(cmd)} failed: {p.stderr.read().decode()[-500:]}")
    return wall, usage.ru_maxrss / 1024


def main():
    a = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    a.add_argument('--runs', type=int, default=5)
    a.add_argument('--json')
    args = a.parse_args()
    galip = str(Path(sys.executable).with_name('galip'))
    d = Path(tempfile.mkdtemp())
    env = os.environ | dict(GALIP_CACHE=str(d / 'cache'))
    sample = lambda engine, out: [galip, 'sample', PROMPT, '--engine', engine, '--out', str(d / out), '--quiet']
    t0 = time.perf_counter()
    subprocess.run([galip, 'export', '--onnx'], env=env, check=True, capture_output=True)
    export_s = time.perf_counter() - t0
    first = run(sample('auto', 'first.png'), env)
    res = {'torch': [], 'onnx': []}
    for _ in range(args.runs):
        res['torch'].append(run(sample('torch', 'torch.png'), env))
        res['onnx'].append(run(sample('auto', 'onnx.png'), env))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in res.items()}
    print(f"export (once): {export_s:.1f} s; first ONNX run (times the engines once): {first[0]:.2f} s")
    for k, (w, m) in med.items(): print(f"{k}: {w:.2f} s median of {args.runs}, {m:.0f} MB peak (median)")
    print(f"ratio torch / ONNX: {med['torch'][0] / med['onnx'][0]:.1f}x")
    if args.json:
        from galip.runtime import cpu_name, installed_engines
        Path(args.json).write_text(json.dumps(dict(cpu=cpu_name(), threads=os.cpu_count(), engines=installed_engines(), prompt=PROMPT,
                                                   export_s=export_s, first_onnx_run=first, runs=res,
                                                   median_s={k: v[0] for k, v in med.items()}, median_peak_mb={k: v[1] for k, v in med.items()}), indent=1))


if __name__ == '__main__':
    main()
