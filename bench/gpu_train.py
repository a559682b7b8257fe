"""galip's GPU figures in one budgeted run: training speed at batch 64, where the step's time goes, the largest batch
per GPU and its memory, and sampling speed. Made for a short time on a GPU machine: each part writes its results as
soon as it has them, and parts that no longer fit in --budget are skipped and named.

    python bench/gpu_train.py --out results/            # on the GPU: every part that fits in --budget (480 s)
    python bench/gpu_train.py --device cpu --preset tiny --batch-size 4 --budget 420 --sample-batches 4 16 --out /tmp/g
                                                        # the whole script on the CPU: 265 s on a 2-core AMD EPYC

Parts, in order (--parts picks some):
- train:   the paper configuration's full training step (bench/train.py's `bench`: random CLIP weights, random images
           and captions) in --precision at --batch-size, the fast and the reference step paired, images per second;
- profile: torch.profiler over three fast steps: the time of each phase of `Trainer.train_step` (its record_function
           scopes, `galip.*`) and the 25 operators with the most device time (profile.txt), the evidence for what to change;
- largest: the batch doubled, from --batch-size on, until the step runs out of memory: images per second and peak memory
           at each size, and the largest that fits;
- sample:  galip's fast sampling path (bf16, CUDA graphs on a GPU) at batches 64, 256 and 1024 (galip.bench.benchmark);
- compile: the fast step with TrainConfig.compile (torch.compile on the generator and CLIP's image tower) against the
           eager fast step, paired, after a warm-up that pays the compile.

Results: OUT/gpu_train.json (updated after every part) and OUT/profile.txt. On a GPU machine without internet access,
galip's dependencies that its image lacks (open_clip_torch, ftfy, wcwidth, fastcore, braceexpand, webdataset) travel as
wheels: `tools/gpu_wheels.sh` fetches them into .whl on a machine that has access; on the GPU machine, run

    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site:$PWD &&
    PYTHONUNBUFFERED=1 python3 bench/gpu_train.py --out $OUT --budget 420

under a time limit of 600 s: a part still running when the budget ends finishes (a step at the largest batch, or the
compile's warm-up, can take a minute or two).
"""
import argparse, json, os, statistics, sys, tempfile, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from train import bench, trainer_and_batch                  # bench/train.py: the paired training-step timer
from galip.bench import machine_info, matmul_gflops, benchmark, sync as _bench_sync

PARTS = ('train', 'profile', 'largest', 'sample', 'compile')


def sync(device): _bench_sync(torch.device(device))


def profile(preset, batch_size, device, precision, steps=3):
    "Per-phase and per-operator device time of the fast training step, from torch.profiler."
    from torch.profiler import profile as prof, ProfilerActivity
    with tempfile.TemporaryDirectory() as d:
        tr, batch = trainer_and_batch(preset, batch_size, device, precision, d)
        for _ in range(2): tr.train_step([batch])
        sync(device)
        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if torch.device(device).type == 'cuda' else [])
        t = time.perf_counter()
        with prof(activities=acts) as p:
            for _ in range(steps): tr.train_step([batch])
            sync(device)
        wall = (time.perf_counter() - t) / steps
    ev = p.key_averages()
    dev_attr = 'device_time_total' if hasattr(ev[0], 'device_time_total') else 'cuda_time_total'
    on_dev = torch.device(device).type == 'cuda'
    def dev_ms(e): return getattr(e, dev_attr) / 1e3 / steps if on_dev else e.cpu_time_total / 1e3 / steps
    def self_ms(e): return (getattr(e, 'self_device_time_total', None) or getattr(e, 'self_cuda_time_total', 0)) / 1e3 / steps \
        if on_dev else e.self_cpu_time_total / 1e3 / steps
    phases = {e.key: dict(ms=dev_ms(e), cpu_ms=e.cpu_time_total / 1e3 / steps) for e in ev if e.key.startswith('galip.')}
    ops = sorted((e for e in ev if not e.key.startswith('galip.') and not e.key.startswith('ProfilerStep')), key=self_ms, reverse=True)
    top = [dict(op=e.key, self_ms=self_ms(e), calls=e.count // steps) for e in ops[:25]]
    try: table = ev.table(sort_by=('self_' + dev_attr) if on_dev else 'self_cpu_time_total', row_limit=25)
    except Exception: table = ev.table(sort_by='self_cuda_time_total' if on_dev else 'self_cpu_time_total', row_limit=25)
    return dict(wall_ms_per_step=wall * 1e3, time_is='device' if on_dev else 'cpu', phases=phases, top_ops=top), table


def largest(preset, start, device, precision, budget_s, steps=3, limit=1 << 14):
    "Double the batch from `start` until a step runs out of memory (or the budget ends): img/s and peak memory at each size."
    rows, B, t_end, stopped = [], start, time.perf_counter() + budget_s, 'size limit'
    while B <= limit and time.perf_counter() < t_end:
        tr, batch, began = None, None, time.perf_counter()
        if rows and began + 2.5 * rows[-1]['took_s'] > t_end:   # the next size takes about twice the last: it would not fit
            print(f"  batch {B}: not tried (the budget ends first)", flush=True); stopped = 'budget'; break
        try:
            with tempfile.TemporaryDirectory() as d:
                tr, batch = trainer_and_batch(preset, B, device, precision, d)
                tr.train_step([batch]); sync(device)
                if torch.device(device).type == 'cuda': torch.cuda.reset_peak_memory_stats()
                ts = []
                for _ in range(steps):
                    t = time.perf_counter(); tr.train_step([batch]); sync(device); ts.append(time.perf_counter() - t)
                peak = torch.cuda.max_memory_allocated() / 2 ** 30 if torch.device(device).type == 'cuda' else None
                rows.append(dict(batch_size=B, s_per_step=statistics.median(ts), images_per_s=B / statistics.median(ts), peak_gib=peak,
                                 took_s=time.perf_counter() - began))
                print(f"  batch {B}: {B / statistics.median(ts):.1f} img/s, peak {peak if peak is None else round(peak, 1)} GiB", flush=True)
        except torch.OutOfMemoryError:
            rows.append(dict(batch_size=B, out_of_memory=True)); print(f"  batch {B}: out of memory", flush=True)
            stopped = 'out of memory'; break
        finally:
            tr = batch = None
            if torch.device(device).type == 'cuda': torch.cuda.empty_cache()
        B *= 2
    fits = [r for r in rows if not r.get('out_of_memory')]
    if B <= limit and stopped == 'size limit': stopped = 'budget'
    return dict(rows=rows, largest_fitting=fits[-1]['batch_size'] if fits else None, stopped_by=stopped,
                oom_at=next((r['batch_size'] for r in rows if r.get('out_of_memory')), None))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help="folder for gpu_train.json and profile.txt")
    p.add_argument('--device', default='cuda')
    p.add_argument('--preset', default='paper')
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--precision', default='bf16', choices=['fp32', 'bf16', 'fp16'])
    p.add_argument('--budget', type=float, default=480, help="seconds for all parts; a part that no longer fits is skipped")
    p.add_argument('--parts', nargs='+', default=list(PARTS), choices=PARTS)
    p.add_argument('--sample-batches', type=int, nargs='+', default=[64, 256, 1024])
    a = p.parse_args()
    t0, out = time.perf_counter(), Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    left = lambda: a.budget - (time.perf_counter() - t0)
    dev = torch.device(a.device)
    info = machine_info(dev) | dict(matmul_gflops={str(dt).replace('torch.', ''): matmul_gflops(dt, dev) for dt in (torch.float32, torch.bfloat16)})
    res = dict(machine=info, preset=a.preset, batch_size=a.batch_size, precision=a.precision, command=' '.join(sys.argv),
               skipped=[], seconds={})
    def save(): (out / 'gpu_train.json').write_text(json.dumps(res, indent=1))
    print(f"{info.get('gpu') or info['cpu']}: matmul fp32 {info['matmul_gflops']['float32']:.0f}, bf16 "
          f"{info['matmul_gflops']['bfloat16']:.0f} GFLOP/s; torch {info['torch']}", flush=True)
    # seconds each part is given at least: estimates from the H100 figures in bench/results/reference-figures.md (a 0.17 s
    # step at batch 64, 20-40 s first calls with compile); a run's own `seconds` are the measured ones
    need = dict(train=90, profile=45, largest=60, sample=60, compile=180)
    for i, part in enumerate(a.parts):
        if left() < need[part]:
            res['skipped'].append(part); print(f"{part}: skipped ({left():.0f} s of the budget left)", flush=True); save(); continue
        t = time.perf_counter(); print(f"{part}:", flush=True)
        if part == 'train':
            rows = bench(a.preset, a.batch_size, a.device, a.precision, steps=8, warmup=3)
            for r in rows: r.pop('all_s', None)
            res['train'] = rows
            print(f"  fast {rows[0]['images_per_s']:.1f} img/s, reference {rows[1]['images_per_s']:.1f} img/s "
                  f"(paired ratio {rows[0]['x_reference']:.2f})", flush=True)
        elif part == 'profile':
            res['profile'], table = profile(a.preset, a.batch_size, a.device, a.precision)
            (out / 'profile.txt').write_text(table)
            for k, v in sorted(res['profile']['phases'].items()): print(f"  {k:24} {v['ms']:9.2f} ms", flush=True)
            print(f"  step {res['profile']['wall_ms_per_step']:.1f} ms (wall, under the profiler)", flush=True)
        elif part == 'largest':
            res['largest'] = r = largest(a.preset, a.batch_size, a.device, a.precision, budget_s=max(0, left() - sum(need[q] for q in a.parts[i + 1:]) - 10))
            print(f"  largest batch that trained: {r['largest_fitting']} (stopped by: {r['stopped_by']})", flush=True)
        elif part == 'sample':
            r = benchmark(a.preset, a.device, a.sample_batches, exact=False, min_time=2.0, log=lambda s: print('  ' + s, flush=True))
            res['sample'] = dict(rows=r['rows'], fast_dtype=r['fast_dtype'], cuda_graphs=r['cuda_graphs'])
        elif part == 'compile':
            t_c = time.perf_counter()
            rows = bench(a.preset, a.batch_size, a.device, a.precision, steps=8, warmup=3, modes=('fast', 'compiled'))
            for r in rows: r.pop('all_s', None)
            res['compile'] = dict(rows=rows, with_warmup_s=time.perf_counter() - t_c)
            print(f"  eager {rows[0]['images_per_s']:.1f} img/s, compiled {rows[1]['images_per_s']:.1f} img/s "
                  f"(paired speed-up {rows[1]['x_fast']:.2f}; {res['compile']['with_warmup_s']:.0f} s with the compile)", flush=True)
        res['seconds'][part] = time.perf_counter() - t
        save()
    aims = []     # galip's aims for an H100 at batch 64 (an H200 has the same arithmetic, more memory bandwidth)
    if 'train' in res: aims.append(f"training {res['train'][0]['images_per_s']:.0f} img/s (aim >= 540)")
    if 'sample' in res: aims.append(f"sampling {max(r['images_per_s'] for r in res['sample']['rows']):.0f} img/s at best (aim >= 5,000)")
    if aims: print('; '.join(aims), flush=True)
    print(f"done in {time.perf_counter() - t0:.0f} s; {out / 'gpu_train.json'}", flush=True)
