"""Sampling on the engines side by side: torch (exact and fast path) and the ONNX export on ONNX Runtime and OpenVINO, fp32 and int8.

    python bench/onnx_sample.py                      # paper config, batch 8, 2 threads: seconds per image of each engine
    python bench/onnx_sample.py --shapes             # the shipped shapes model: does int8 keep its pictures?
    python bench/onnx_sample.py --json out.json      # and write the figures
    python bench/onnx_sample.py --picture nbs/images/onnx_shapes.png   # the shipped model on torch, ONNX fp32 and int8

Paper config: random CLIP weights and random condition layers (speed does not depend on the weights; nothing is
downloaded). The model is exported once (fp32 and int8 generators) into a temporary folder, then each engine draws
batch 8 in turn, round after round (A B C ... A B C ...), so that all see the same machine; the table gives each one's
median over the rounds of its best of 3 calls, in seconds per image, and its ratio to galip's exact fp32 path timed in
the same run (the process keeps freed memory for reuse, as the galip command does; without it torch's paths take
30-40% longer here, the engines' do not change) (the computation the official sampler does, number for number). The official sampler's own figure on a
2-core AVX-512 EPYC is in bench/results/reference-figures.md; on another CPU only the same-run ratios compare.

--shapes exports the shipped model (fp32 and int8) and scores each engine's pictures with the shapes world's checker:
attribute accuracy on 200 plain prompts (in distribution and held out) and the background greys 8 seeds of a prompt
reach (of the world's 5). int8 keeps the pictures if accuracy stays within 2 points and backgrounds within 0.2 of fp32.
"""
import argparse, importlib.metadata as md, json, statistics, tempfile, time
from pathlib import Path
import numpy as np
import torch
from galip.core import GALIPConfig
from galip import GALIP          # (with the methods its chapters add: generate)
from galip.fast import randomize_affines
from galip.export import export_onnx
from galip.runtime import Graph, installed_engines, cpu_name
from galip.bench import machine_info
from galip.utils import keep_freed_memory
keep_freed_memory()   # as the galip command does: torch's large buffers are reused, not faulted in again each call

OFFICIAL_AVX512 = (0.556, 0.561)   # s/image, batch 8, 2-core AVX-512 EPYC (bench/results/reference-figures.md)


def best(fn, reps=3):
    fn()
    out = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); out = min(out, time.perf_counter() - t0)
    return out


def paper(threads, rounds, batch):
    torch.manual_seed(0)
    model = GALIP(GALIPConfig.preset('paper', clip_pretrained=None)).eval()
    randomize_affines(model.generator)
    folder = Path(tempfile.mkdtemp()) / 'paper-onnx'
    t0 = time.perf_counter()
    export_onnx(model, folder, int8=True, check=False, log=lambda m: print(m, flush=True))
    export_s = time.perf_counter() - t0
    g = torch.Generator().manual_seed(1)
    noise, sent = torch.randn(batch, 100, generator=g), torch.randn(batch, 512, generator=g) * 3
    feed = dict(noise=noise.numpy(), sent=sent.numpy())
    fast = model.fast_generator()
    with torch.inference_mode(): exact_out = model.generator(noise, sent).clamp(-1, 1).numpy()
    runs = {'torch exact fp32': lambda: model.generator(noise, sent), f'torch fast {str(fast.dtype)[6:]}': lambda: fast(noise, sent)}
    outs = {}
    for eng in installed_engines():
        for prec, f in (('fp32', 'generator.onnx'), ('int8', 'generator-int8.onnx')):
            gr = Graph(folder / f, eng, threads)
            runs[f'{eng} {prec}'] = (lambda gr=gr: gr(**feed))
            outs[f'{eng} {prec}'] = gr(**feed)
    times = {k: [] for k in runs}
    for r in range(rounds):
        for k, fn in runs.items():
            with torch.inference_mode(): times[k].append(best(fn) / batch)
        print(f"round {r + 1}: " + ', '.join(f"{k} {v[-1]:.3f}" for k, v in times.items()), flush=True)
    ref = statistics.median(times['torch exact fp32'])
    rows = [dict(engine=k, s_per_image=statistics.median(v), all=v, x_exact=ref / statistics.median(v),
                 max_diff_vs_exact=float(np.abs(outs[k] - exact_out).max()) if k in outs else None) for k, v in times.items()]
    return dict(export_s=export_s, rows=rows, batch=batch)


def shapes():
    from galip.shapes.model import attribute_accuracy, background_diversity
    from galip.shapes.world import ShapesWorld
    import os
    os.environ.setdefault('GALIP_CACHE', tempfile.mkdtemp())
    model = GALIP.from_pretrained('shapes')
    test, held = ShapesWorld(seed=10_000, two_objects=0, split='train'), ShapesWorld(seed=20_000, two_objects=0, split='holdout')
    out = {}
    for name, kw in (('torch fast', dict(engine='torch')), ('onnxruntime fp32', dict(engine='onnxruntime')),
                     ('onnxruntime int8', dict(engine='onnxruntime', fast='int8')), ('torch int8 (galip.fast)', dict(fast='int8'))):
        acc = attribute_accuracy(model, test, 200, **kw)
        acc_h = attribute_accuracy(model, held, 200, **kw)
        bg = background_diversity(model, test, **kw)
        out[name] = dict(in_distribution=acc, held_out=acc_h, background_levels=bg['levels'], background_tv=bg['tv'])
        print(name, json.dumps(out[name]), flush=True)
    return out


def picture(path):
    "The shipped model's pictures for four prompts, seeds 0-3 of one call: torch's fast path, then the export in fp32 and in int8."
    from PIL import Image, ImageDraw
    from galip.export import onnx_model
    from galip.runtime import grid_image
    model = GALIP.from_pretrained('shapes')
    prompts = ['a large red circle in the center', 'a small blue square in the top left', 'a huge green triangle in the bottom right',
               'a small red circle in the top left and a large blue square in the bottom right']
    bands = [grid_image(np.stack([np.asarray(i) for i in model.generate(prompts, 4, seed=0)]), ncol=4)]
    bands += [grid_image(onnx_model(model, 'onnxruntime', int8=q).generate_arrays(prompts, 4, seed=0), ncol=4) for q in (False, True)]
    (w, h), left = bands[0].size, 150
    out = Image.new('RGB', (w + left, 3 * h + 8), 'white')
    for i, (band, name) in enumerate(zip(bands, ['torch (fast path)', 'ONNX Runtime fp32', 'ONNX Runtime int8'])):
        out.paste(band, (left, i * (h + 4)))
        ImageDraw.Draw(out).text((6, i * (h + 4) + h // 2 - 6), name, fill='black')
    out.save(path, optimize=True)
    print(path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--shapes', action='store_true')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--json')
    p.add_argument('--picture', metavar='PNG', help="draw the shipped model on each path into this file instead")
    a = p.parse_args()
    if a.picture: return picture(a.picture)
    torch.set_num_threads(a.threads)
    res = dict(machine=machine_info(torch.device('cpu')) | dict(cpu_name=cpu_name()), threads=a.threads,
               engines={e: md.version(e) for e in installed_engines()})
    if a.shapes: res['shapes'] = shapes()
    else:
        res['paper'] = r = paper(a.threads, a.rounds, a.batch)
        print(f"\npaper config, batch {a.batch}, {a.threads} threads, {res['machine']['cpu_name']} ({res['machine']['cpu_capability']}); "
              f"export (fp32 + int8) took {r['export_s']:.0f} s\n")
        print("| engine | s/image (median) | x exact fp32, same run | max diff vs exact |\n|---|---|---|---|")
        for row in r['rows']:
            d = '—' if row['max_diff_vs_exact'] is None else f"{row['max_diff_vs_exact']:.1e}"
            print(f"| {row['engine']} | {row['s_per_image']:.3f} | {row['x_exact']:.2f} | {d} |")
        print(f"\nthe official sampler, on a 2-core AVX-512 EPYC: {OFFICIAL_AVX512[0]}-{OFFICIAL_AVX512[1]} s/image (reference-figures.md)")
    if a.json: Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
