"""Diversity of the shipped shapes model against the shapes world and a noise-ablated copy (the README's table).

Run: python bench/shapes_diversity.py [--out bench/results/shapes-diversity.json]"""
import argparse, json
import numpy as np, torch
from galip import GALIP
from galip.data import to_tensor
from galip.evaluate import clip_features, pixel_features, prdc, seed_diversity, noise_ablated
from galip.sample import to_uint8, generate
from galip.shapes.world import ShapesWorld, plain_caption, render
from galip.shapes.model import shapes_report, background_diversity

def world_seed_diversity(feats, n_prompts=24, n_seeds=8):
    "Seed diversity of the world itself: each prompt's object drawn with the world's background and position draws."
    w = ShapesWorld(seed=10_000, two_objects=0)
    objs = [w.scene(i)[0][0] for i in range(n_prompts)]
    draws = [w.scene(n_prompts + i) for i in range(n_prompts * n_seeds)]
    imgs = to_uint8(torch.stack([to_tensor(render([o], bg, w.size, jit[:1]))
                                 for o, (_, bg, jit, _) in zip([o for o in objs for _ in range(n_seeds)], draws)]))
    return seed_diversity(imgs.view(n_prompts, n_seeds, *imgs.shape[1:]), feats(imgs).reshape(n_prompts, n_seeds, -1))

def model_seed_diversity(model, feats, n_prompts=24, n_seeds=8):
    w = ShapesWorld(seed=10_000, two_objects=0)
    imgs = to_uint8(generate(model, [plain_caption(w.scene(i)[0][0]) for i in range(n_prompts)], n_seeds, seed=0))
    return seed_diversity(imgs.view(n_prompts, n_seeds, *imgs.shape[1:]), feats(imgs).reshape(n_prompts, n_seeds, -1))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--out', default='bench/results/shapes-diversity.json'); args = ap.parse_args()
    torch.manual_seed(0)
    model = GALIP.from_pretrained('shapes')
    dead = noise_ablated(model)
    cf = clip_features(model.clip)
    real = lambda seed: to_uint8(torch.stack([to_tensor(ShapesWorld(seed=seed, split='all')[i][0]) for i in range(500)]))
    ra, rb = real(30_000), real(40_000)
    res = dict(
        shipped=shapes_report(model) | dict(seed_diversity_24x8=model_seed_diversity(model, cf)),
        noise_ablated=dict(backgrounds=background_diversity(dead), seed_diversity_24x8=model_seed_diversity(dead, cf)),
        real=dict(backgrounds=background_diversity(None), seed_diversity_24x8=world_seed_diversity(cf),
                  prdc={'clip': prdc(cf(ra), cf(rb)), 'pixels16': prdc(pixel_features()(ra), pixel_features()(rb))}))
    with open(args.out, 'w') as f: json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))
