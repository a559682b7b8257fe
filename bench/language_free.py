"""Language-free against captioned training on the shapes world, at the same budget.

    python bench/language_free.py --steps 500 --out runs/lf-compare    # writes bench/results/language-free-shapes.json

Trains the shapes preset twice from the same seed, batch 16, for --steps steps: once on the captions (the paper's way)
and once with --language-free (each image conditioned on its own perturbed CLIP image embedding, no caption read). Both
are then sampled from the same plain prompts ("a large red circle in the center", ...) and read back by the shapes
world's attribute checker: accuracy in distribution and on held-out (colour, shape) pairs, 200 prompts each, and how the
backgrounds of 8 seeds per prompt spread over the world's five greys. Each run is `galip train`, so the same commands
reproduce a row by hand.
"""
import argparse, json, subprocess, sys, time
from pathlib import Path

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--steps', type=int, default=500)
ap.add_argument('--batch-size', type=int, default=16)
ap.add_argument('--out', default='runs/lf-compare')
ap.add_argument('--json', default='bench/results/language-free-shapes.json')
ap.add_argument('--eval-only', action='store_true', help="evaluate runs already in --out")
a = ap.parse_args()
galip = str(Path(sys.executable).parent / 'galip')
seconds = {}
if not a.eval_only:
    for mode in ('captions', 'language-free'):
        t = time.time()
        subprocess.run([galip, 'train', '--preset', 'shapes', '--out', f'{a.out}/{mode}', '--batch-size', str(a.batch_size),
                        '--max-steps', str(a.steps), '--sample-every', '0', '--ckpt-every', str(a.steps), '--log-every', '50',
                        '--quiet'] + (['--language-free'] if mode == 'language-free' else []), check=True)
        seconds[mode] = time.time() - t

from galip.model import GALIP
from galip.shapes.world import ShapesWorld
from galip.shapes.model import attribute_accuracy, background_diversity
rows = {}
for mode in ('captions', 'language-free'):
    m = GALIP.from_pretrained(f'{a.out}/{mode}/model')
    test = ShapesWorld(seed=10_000, two_objects=0, split='train')
    held = ShapesWorld(seed=20_000, two_objects=0, split='holdout')
    rows[mode] = dict(in_distribution=attribute_accuracy(m, test, 200, 0), held_out=attribute_accuracy(m, held, 200, 0),
                      backgrounds=background_diversity(m, test), cond_norm=m.config.cond_norm,
                      train_seconds=seconds.get(mode))
    r = rows[mode]
    print(f"{mode:14} " + ' '.join(f"{k} {v:.1%}" for k, v in r['in_distribution'].items()) +
          f" | held out shape {r['held_out']['shape']:.1%} colour {r['held_out']['colour']:.1%}"
          f" | backgrounds {r['backgrounds']['levels']:.2f} of 5, spread {r['backgrounds']['spread']:.1f}", flush=True)
Path(a.json).parent.mkdir(parents=True, exist_ok=True)
Path(a.json).write_text(json.dumps(dict(steps=a.steps, batch_size=a.batch_size, runs=rows), indent=1))
