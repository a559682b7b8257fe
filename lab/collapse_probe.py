"""The collapse experiments' probe and shape readings on every checkpoint of a shapes run (its learning curves).

The probe (the raw generator: backgrounds of 12 prompts x 8 seeds, attributes of 48 prompts) and `readings` (the EMA
generator: shape and colour read by the pixel checker, the shapes CLIP and the model's discriminator, 200 prompts) are
taken from the chapter itself, so they are defined once. Checkpoints of a run started with `galip train --init` count
their steps from 0: --offset adds the steps of the model it started from.

With --by-size, each checkpoint's EMA generator is read by object size instead (experiment 23's records): the checker's
and the shapes CLIP's shape reading for small and large objects, the discriminator's reading of real small and large
scenes, and colour. A checkpoint of a run with a pixel judge (the pixel_judge extra, experiment 25) adds the pixel judge's
reading of real and of generated scenes, and the discriminator's reading of generated ones, by size.

Run: python lab/collapse_probe.py RUN_DIR [RUN_DIR ...] --offset 14000 --out records.jsonl [--every 500] [--by-size]"""
import argparse, dataclasses, json, time
from pathlib import Path
import torch

NB = Path(__file__).resolve().parent / 'shapes_collapse.ipynb'

def chapter_functions(names=('probe', 'readings')) -> dict:
    "Run the chapter's import cell and the cells that define `names`; return those functions."
    cells = [''.join(c['source']) for c in json.loads(NB.read_text())['cells'] if c['cell_type'] == 'code']
    ns = {}
    exec(next(s for s in cells if s.startswith('import json, itertools')), ns)
    for n in names: exec(next(s for s in cells if f'\ndef {n}(' in '\n' + s), ns)
    return {n: ns[n] for n in names}

def checkpoint_models(ck: Path, run: Path):
    "The raw and the EMA generator of one checkpoint, each in a whole model (the same CLIP, Mate-D and judge)."
    from galip import GALIP
    from galip.core import GALIPConfig, strip_prefix
    from galip.train import TRAINED_PARTS, load_part
    from galip.model import read_safetensors
    config = GALIPConfig.from_file(ck / 'config.json')
    w = read_safetensors(ck / 'weights.safetensors')
    clip_sd = read_safetensors(run / 'clip.safetensors')
    out = []
    for gen in ('generator', 'ema'):
        m = GALIP(dataclasses.replace(config, clip_pretrained=None)); m.config = config
        m.clip.load_state_dict(clip_sd)
        for part in TRAINED_PARTS: load_part(getattr(m, part), strip_prefix(w, part + '.'), ck, part)
        load_part(m.generator, strip_prefix(w, gen + '.'), ck, gen)
        out.append(m.eval())
    return out

def checkpoint_pixel_judge(ck: Path):
    "The pixel judge of a checkpoint (`PixelJudge`), or None if its run had none."
    from galip.core import GALIPConfig, strip_prefix
    from galip.extras import PixelJudge
    from galip.model import read_safetensors
    sd = strip_prefix(read_safetensors(ck / 'weights.safetensors'), 'pixel_judge.')
    if not sd: return None
    judge = PixelJudge(GALIPConfig.from_file(ck / 'config.json'), 'projection' if 'proj.weight' in sd else 'tiled')
    judge.load_state_dict(sd)
    return judge.eval()

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('runs', nargs='+', type=Path, help="run folders, or folders of kept step-* checkpoints with the run's clip.safetensors beside them")
    ap.add_argument('--offset', type=int, default=0, help="steps of the model the run started from")
    ap.add_argument('--every', type=int, default=250, help="probe checkpoints whose step is a multiple of this")
    ap.add_argument('--clip', type=Path, help="the run's clip.safetensors (default: RUN/clip.safetensors)")
    ap.add_argument('--out', type=Path, required=True)
    ap.add_argument('--by-size', action='store_true', help="read shape by object size (no probe)")
    args = ap.parse_args()
    f = chapter_functions()
    done = {json.loads(l)['step'] for l in args.out.read_text().splitlines()} if args.out.exists() else set()
    for run in args.runs:
        cks = sorted((run / 'checkpoints' if (run / 'checkpoints').is_dir() else run).glob('step-*'), key=lambda p: int(p.name[5:]))
        for ck in cks:
            step = int(ck.name[5:])
            if step % args.every or step + args.offset in done: continue
            t0 = time.time()
            raw, ema = checkpoint_models(ck, args.clip.parent if args.clip else run)
            torch.manual_seed(0)
            if args.by_size:
                rec, px = dict(step=step + args.offset), checkpoint_pixel_judge(ck)
                g, real = (f['readings'](ema, real=r, pixel_judge=px)['by_size'] for r in (False, True))
                for size in ('small', 'large'):
                    rec |= {f'shape_{size}': g[size]['checker'], f'clip_{size}': g[size]['clip'], f'd_real_{size}': real[size]['d']}
                    if px is not None:
                        rec |= {f'd_gen_{size}': g[size]['d'], f'px_real_{size}': real[size]['pixel'], f'px_gen_{size}': g[size]['pixel']}
                rec['colour'] = f['readings'](ema, attr='colour')['checker']
                with open(args.out, 'a') as fh: fh.write(json.dumps(rec) + '\n')
                done.add(rec['step']); print(json.dumps(rec), flush=True)
                continue
            rec = dict(f['probe'](raw), step=step + args.offset)
            shape, colour = f['readings'](ema), f['readings'](ema, attr='colour')
            rec |= dict(ema_shape=shape['checker'], clip_reads_shape=shape['clip'], d_reads_shape=shape['d'],
                        ema_colour=colour['checker'], d_reads_colour=colour['d'])
            with open(args.out, 'a') as fh: fh.write(json.dumps(rec) + '\n')
            done.add(rec['step'])
            print(f"{ck}: step {rec['step']}, probe shape {rec['shape']:.3f}, EMA shape {rec['ema_shape']:.3f}, "
                  f"colour {rec['ema_colour']:.3f}, greys {rec['levels']:.2f} ({time.time() - t0:.0f} s)", flush=True)
