"""What `galip sample --out-dir` costs on top of generating: images/s of `sample_to_folder` (PNG files, manifest) against
the same images from `model.generate`, prompt by prompt as the folder path draws them, and against `model.generate` of all
prompts at once in batches of 32 (the grid path, whose batches mix prompts). Alternating repeats, medians.

Run: python bench/sample_files.py [--model shapes] [--prompts 64] [--num 4] [--repeats 3] [--device cpu] [--json FILE]"""
import argparse, json, platform, shutil, statistics, tempfile, time
from pathlib import Path
import torch
from galip.model import GALIP
from galip.sample import sample_to_folder
from galip.shapes.world import ShapesWorld

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--model', default='shapes'); ap.add_argument('--prompts', type=int, default=64)
    ap.add_argument('--num', type=int, default=4); ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--device', default='cpu'); ap.add_argument('--json', type=Path)
    a = ap.parse_args()
    model = GALIP.from_pretrained(a.model).to(a.device)
    world = ShapesWorld(seed=3, split='all')
    prompts = [world.scene(i)[3][0] for i in range(a.prompts)]        # (the shapes world's captions; any text works for another model)
    items = [(p, i) for i, p in enumerate(prompts)]
    n = a.prompts * a.num
    model.generate(prompts[:2], a.num)                                # warm: the fast generator is built once
    times = {'folder': [], 'generate, prompt by prompt': [], 'generate, all prompts in batches of 32': []}
    for _ in range(a.repeats):
        d = Path(tempfile.mkdtemp())
        t = time.perf_counter(); sample_to_folder(model, items, d, a.num, progress=False); times['folder'].append(time.perf_counter() - t)
        shutil.rmtree(d)
        t = time.perf_counter()
        for p, s in items: model.generate(p, a.num, seed=s)
        times['generate, prompt by prompt'].append(time.perf_counter() - t)
        t = time.perf_counter(); model.generate(prompts, a.num); times['generate, all prompts in batches of 32'].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in times.items()}
    res = dict(model=a.model, device=a.device, images=n, prompts=a.prompts, num=a.num, repeats=a.repeats,
               machine=dict(cpu=platform.processor() or platform.machine(), threads=torch.get_num_threads(), torch=torch.__version__,
                            cpu_capability=torch.backends.cpu.get_cpu_capability()),
               images_per_s={k: round(n / v, 2) for k, v in med.items()},
               folder_overhead_vs_prompt_by_prompt=round(med['folder'] / med['generate, prompt by prompt'] - 1, 4),
               folder_vs_batched_grid_path=round(med['folder'] / med['generate, all prompts in batches of 32'] - 1, 4))
    print(json.dumps(res, indent=1))
    if a.json: a.json.write_text(json.dumps(res, indent=1) + '\n')

if __name__ == '__main__': main()
