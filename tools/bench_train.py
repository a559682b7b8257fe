"""Training-speed benchmark: seconds per optimisation step of galip's trainer.

    python tools/bench_train.py                       # paper config (batch 4, fp32) and tiny, on the CPU
    python tools/bench_train.py --device cuda --precision bf16 --batch-size 64 --presets paper

Speed does not depend on the weights, so CLIP has random weights (nothing is downloaded). Each step is the full
GALIP step (CLIP on real and fake images, D phase with MA-GP, G phase through the updated D, EMA), on random
images and captions. Prints a table and writes JSON (--json).
"""
import argparse, json, platform, tempfile, time
import torch
from galip.core import GALIPConfig
from galip.model import GALIP
from galip.train import Trainer, TrainConfig, default_train_size


def bench(preset, batch_size, device, precision, steps, warmup):
    torch.manual_seed(0)
    config = GALIPConfig.preset(preset, clip_pretrained=None)
    model = GALIP(config)
    with tempfile.TemporaryDirectory() as d:
        tr = Trainer(model, None, TrainConfig(out_dir=d, batch_size=batch_size, precision=precision, progress=False,
                                              tensorboard=False), device=device)
        size = default_train_size(config)
        batch = dict(image=torch.rand(batch_size, 3, size, size) * 2 - 1,
                     caption=[f'a photo of thing number {i}' for i in range(batch_size)], skipped=0)
        sync = torch.cuda.synchronize if tr.device.type == 'cuda' else (lambda: None)
        for _ in range(warmup): tr.train_step([batch])
        sync()
        t = time.perf_counter()
        for _ in range(steps): tr.train_step([batch])
        sync()
        per_step = (time.perf_counter() - t) / steps
    return dict(preset=preset, batch_size=batch_size, device=str(tr.device), precision=tr.precision,
                image_size=size, s_per_step=per_step, images_per_s=batch_size / per_step, steps=steps)


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--presets', nargs='+', default=['paper', 'tiny'])
    p.add_argument('--batch-size', type=int, default=4)
    p.add_argument('--device', default='cpu')
    p.add_argument('--precision', default='fp32', choices=['fp32', 'bf16', 'fp16', 'auto'])
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--json', help="also write the results here")
    a = p.parse_args()
    rows = [bench(pr, a.batch_size, a.device, a.precision, a.steps, a.warmup) for pr in a.presets]
    info = dict(torch=torch.__version__, threads=torch.get_num_threads(), cpu=platform.processor() or platform.machine(),
                gpu=torch.cuda.get_device_name() if torch.cuda.is_available() else None)
    print(f"torch {info['torch']}, {info['threads']} threads, {info['gpu'] or info['cpu']}")
    print(f"{'preset':8} {'device':8} {'precision':9} {'batch':>5} {'size':>5} {'s/step':>8} {'img/s':>8}")
    for r in rows:
        print(f"{r['preset']:8} {r['device']:8} {r['precision']:9} {r['batch_size']:5d} {r['image_size']:5d} "
              f"{r['s_per_step']:8.3f} {r['images_per_s']:8.1f}")
    if a.json:
        with open(a.json, 'w') as f: json.dump(dict(info=info, results=rows), f, indent=2)
