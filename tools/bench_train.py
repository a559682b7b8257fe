"""Training-speed benchmark: seconds per optimisation step of galip's trainer, fast and reference paths side by side.

    python tools/bench_train.py                       # paper config (batch 4, fp32) and tiny, on the CPU
    python tools/bench_train.py --presets paper --precision fp32 bf16
    python tools/bench_train.py --device cuda --precision bf16 --batch-size 64 --presets paper

Speed does not depend on the weights, so CLIP has random weights (nothing is downloaded). Each step is the full
GALIP step (CLIP on real and fake images, D phase with MA-GP, G phase through the updated D, EMA), on random
images and captions. For each preset and precision one trainer runs the fast step (TrainConfig.fast, the default) and
the reference step (fast=False) in turn, step after step, so that both see the same machine: a 2-core cloud CPU drifts
by 10-20% from one minute to the next. --no-keep-memory times the step without core.keep_freed_memory
(run it as a separate process: the setting is process-wide). The machine's matrix-product speed is measured in the same run. Prints a table
(medians) and writes JSON (--json).
"""
import argparse, json, statistics, tempfile, time
import torch
from galip.core import GALIPConfig
from galip.model import GALIP
from galip.train import Trainer, TrainConfig, default_train_size
from galip.bench import machine_info, matmul_gflops


def bench(preset, batch_size, device, precision, steps, warmup, modes=('fast', 'reference'), keep_memory=True):
    torch.manual_seed(0)
    config = GALIPConfig.preset(preset, clip_pretrained=None)
    model = GALIP(config)
    times = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as d:
        tr = Trainer(model, None, TrainConfig(out_dir=d, batch_size=batch_size, precision=precision, progress=False,
                                              tensorboard=False, keep_memory=keep_memory), device=device)
        size = default_train_size(config)
        batch = dict(image=torch.rand(batch_size, 3, size, size) * 2 - 1,
                     caption=[f'a photo of thing number {i}' for i in range(batch_size)], skipped=0)
        sync = torch.cuda.synchronize if tr.device.type == 'cuda' else (lambda: None)
        for m in modes:
            tr.cfg.fast = m == 'fast'
            for _ in range(warmup): tr.train_step([batch])
        for _ in range(steps):
            for m in modes:
                tr.cfg.fast = m == 'fast'
                sync(); t = time.perf_counter()
                tr.train_step([batch])
                sync(); times[m].append(time.perf_counter() - t)
    rows = []
    for m in modes:
        per_step = statistics.median(times[m])
        rows.append(dict(preset=preset, path=m, batch_size=batch_size, device=str(tr.device), precision=tr.precision,
                         image_size=size, s_per_step=per_step, images_per_s=batch_size / per_step, steps=steps,
                         keep_memory=keep_memory, all_s=times[m]))
    if len(modes) > 1:   # the ratio step by step (paired), then its median
        rows[0]['x_reference'] = statistics.median(b / a for a, b in zip(times[modes[0]], times[modes[1]]))
    return rows


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--presets', nargs='+', default=['paper', 'tiny'])
    p.add_argument('--batch-size', type=int, default=4)
    p.add_argument('--device', default='cpu')
    p.add_argument('--precision', nargs='+', default=['fp32'], choices=['fp32', 'bf16', 'fp16', 'auto'])
    p.add_argument('--steps', type=int, default=5, help="timed steps of each path")
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--fast-only', action='store_true', help="skip the reference path")
    p.add_argument('--no-keep-memory', action='store_true', help="leave glibc's malloc as it is (TrainConfig.keep_memory=False)")
    p.add_argument('--json', help="also write the results here")
    a = p.parse_args()
    dev = torch.device(a.device)
    info = machine_info(dev)
    info['matmul_gflops'] = {str(dt).replace('torch.', ''): matmul_gflops(dt, dev) for dt in (torch.float32, torch.bfloat16)}
    print(f"torch {info['torch']}, {info['threads']} threads, {info.get('gpu') or info['cpu']} ({info['cpu_capability']}); "
          f"matmul fp32 {info['matmul_gflops']['float32']:.0f} GFLOP/s, bf16 {info['matmul_gflops']['bfloat16']:.0f} GFLOP/s",
          flush=True)
    modes = ('fast',) if a.fast_only else ('fast', 'reference')
    rows = [r for pr in a.presets for prec in a.precision for r in bench(pr, a.batch_size, a.device, prec, a.steps, a.warmup, modes, not a.no_keep_memory)]
    print(f"{'preset':8} {'path':10} {'device':8} {'precision':9} {'batch':>5} {'size':>5} {'s/step':>8} {'img/s':>8} {'x ref':>6}")
    for r in rows:
        x = f"{r['x_reference']:6.2f}" if 'x_reference' in r else ''
        print(f"{r['preset']:8} {r['path']:10} {r['device']:8} {r['precision']:9} {r['batch_size']:5d} {r['image_size']:5d} "
              f"{r['s_per_step']:8.3f} {r['images_per_s']:8.1f} {x}")
    if a.json:
        with open(a.json, 'w') as f: json.dump(dict(info=info, results=rows), f, indent=2)
