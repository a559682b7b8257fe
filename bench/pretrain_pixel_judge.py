"""14a_shapes_collapse's experiment 26: teach a projection pixel judge shape on real shapes scenes, alone, and save it
for `galip train --pixel-weight W --pixel-head projection --pixel-init FILE`.

`pretrain_pixel_judge` is taken from the chapter itself, so it is defined once: for each real training scene the judge
picks the caption among its six shape-word swaps (`losses.swap_choices`, cross-entropy), its reading of 200 real test
scenes by size is printed every --every steps, and at the end its sentence projection is scaled so that captions score
2 above their swaps (the hinge's margins). 2,000 steps took 21 minutes on two threads of a 2-core AMD EPYC.

Run: python bench/pretrain_pixel_judge.py --steps 2000 --out judge.safetensors [--model shapes]"""
import argparse, json, time
from pathlib import Path
import torch
from collapse_probe import chapter_functions

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='shapes', help="the shipped model's name or a model folder (default: %(default)s)")
    ap.add_argument('--steps', type=int, default=2000)
    ap.add_argument('--every', type=int, default=250)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', required=True, help="where to write the judge's weights (.safetensors)")
    args = ap.parse_args()
    from galip import GALIP
    from galip.model import atomic_path
    from safetensors.torch import save_file
    f = chapter_functions(('readings', 'pixel_only', 'pretrain_pixel_judge'))
    g, t0 = f['pretrain_pixel_judge'].__globals__, time.time()
    inner = g['readings']
    def loud(*a, **kw):                      # print each reading as it comes
        r = inner(*a, **kw)
        print(json.dumps(dict(small=r['by_size']['small']['pixel'], large=r['by_size']['large']['pixel'],
                              minutes=round((time.time() - t0) / 60, 1))), flush=True)
        return r
    g['readings'] = loud
    judge, rec = f['pretrain_pixel_judge'](GALIP.from_pretrained(args.model), steps=args.steps, every=args.every, seed=args.seed)
    with atomic_path(Path(args.out)) as t: save_file({k: v.contiguous() for k, v in judge.state_dict().items()}, str(t))
    print(f"wrote {args.out}")
