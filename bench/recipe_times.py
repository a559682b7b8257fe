"""Seconds a step of each stage of the shapes recipe (recipes/shapes.sh) takes on this machine, alone.

Each training stage is the recipe's own configuration (the shapes preset, batch 16, its extras) on real shapes scenes,
whose captions give the hard negatives and the pixel judge's choices their words (bench/train.py's random captions would
give them none), timed over --steps steps after --warmup; stage 4 times `pretrain_pixel_judge` the same way. The hours are the recipe's step counts at these
speeds.

Run: python bench/recipe_times.py [--steps 10] [--out bench/results/recipe-times.json]"""
import argparse, json, tempfile, time
import torch

STAGES = [  # (stage, steps in the recipe, noise gain, extras)
    (1, 8586, 10.0, {'spread': {'weight': 5}}),
    (2, 11211 - 8586, 10.0, {'spread': {'weight': 5}, 'hard_negatives': {'weight': 1, 'words': 'shape'}}),
    (3, 14000 - 11211, 10.0, {'spread': {'weight': 5}, 'hard_negatives': {'weight': 1, 'words': 'shape,colour'}}),
    (5, 3596, 10.0, {'spread': {'weight': 5}, 'hard_negatives': {'weight': 1, 'words': 'shape,colour'},
                     'pixel_judge': {'weight': 1, 'head': 'projection', 'choice': 1, 'words': 'shape,colour'}}),
]

def train_step_seconds(gain, extras, steps, warmup, out):
    from galip import GALIP, GALIPConfig
    from galip.data import collate
    from galip.shapes.world import ShapesWorld
    from galip.train import Trainer, TrainConfig
    torch.manual_seed(0)
    ds = ShapesWorld(seed=0, split='train').dataset(50_000)
    tr = Trainer(GALIP(GALIPConfig.shapes(noise_gain=gain)), ds, TrainConfig(out_dir=out, batch_size=16, extras=extras, progress=False))
    batch = lambda k: [collate([ds[(16 * k + i, 0)] for i in range(16)])]
    for k in range(warmup): tr.train_step(batch(k))
    t0 = time.perf_counter()
    for k in range(steps): tr.train_step(batch(warmup + k))
    return (time.perf_counter() - t0) / steps

def judge_step_seconds(steps, warmup):
    from galip import GALIP
    from galip.extras import pretrain_pixel_judge
    model = GALIP.from_pretrained('shapes')
    t0 = time.perf_counter(); pretrain_pixel_judge(model, steps=warmup + steps, every=10**9, progress=False)
    t1 = time.perf_counter(); pretrain_pixel_judge(model, steps=warmup, every=10**9, progress=False)
    return ((t1 - t0) - (time.perf_counter() - t1)) / steps

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--out', default='bench/results/recipe-times.json')
    a = ap.parse_args()
    from galip.bench import machine_info
    res = dict(machine=machine_info(torch.device('cpu')), steps_timed=a.steps, stages=[])
    with tempfile.TemporaryDirectory() as d:
        for stage, n, gain, extras in STAGES:
            s = train_step_seconds(gain, extras, a.steps, a.warmup, f'{d}/s{stage}')
            res['stages'].append(dict(stage=stage, extras=sorted(extras), s_per_step=round(s, 3), steps=n, hours=round(n * s / 3600, 2)))
            print(json.dumps(res['stages'][-1]), flush=True)
    s = judge_step_seconds(a.steps * 4, a.warmup)
    res['stages'].insert(3, dict(stage=4, what='pretrain_pixel_judge', s_per_step=round(s, 3), steps=2000, hours=round(2000 * s / 3600, 2)))
    print(json.dumps(res['stages'][3]))
    with open(a.out, 'w') as f: json.dump(res, f, indent=1)
    print(f"wrote {a.out}")
