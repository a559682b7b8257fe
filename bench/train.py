"""Training-speed benchmark: seconds per optimisation step of galip's trainer, fast and reference paths side by side.

    python bench/train.py                       # paper config (batch 4, fp32) and tiny, on the CPU
    python bench/train.py --presets paper --precision fp32 bf16
    python bench/train.py --device cuda --precision bf16 --batch-size 64 --presets paper
    python bench/train.py --presets tiny --fast-only --compiled   # TrainConfig.compile against the eager fast step

Speed does not depend on the weights, so CLIP has random weights (nothing is downloaded). Each step is the full
GALIP step (CLIP on real and fake images, D phase with MA-GP, G phase through the updated D, EMA), on random
images and captions. For each preset and precision one trainer runs the fast step (TrainConfig.fast, the default) and
the reference step (fast=False) in turn, step after step, so that both see the same machine: a 2-core cloud CPU drifts
by 10-20% from one minute to the next. --no-keep-memory times the step without core.keep_freed_memory
(run it as a separate process: the setting is process-wide). The machine's matrix-product speed is measured in the same run. Prints a table
(medians) and writes JSON (--json).

--parts splits the fast step of the paper config into its pieces (generator forward and backward, CLIP on real and on
generated images, the D loss with MA-GP, the G loss) and times the generator's largest convolution forward and
backward against the matmul speed: where the step's time goes, and how close to the machine's peak it runs.
"""
import argparse, json, statistics, tempfile, time
import torch
from galip.core import GALIPConfig
from galip.model import GALIP
from galip.train import Trainer, TrainConfig, default_train_size
from galip.bench import machine_info, matmul_gflops


MODES = dict(fast=(True, False), reference=(False, False), compiled=(True, True))   # TrainConfig (fast, compile) of each path


def trainer_and_batch(preset, batch_size, device, precision, out_dir, keep_memory=True):
    "A Trainer of `preset` with random weights (CLIP too), and one batch of random images and captions for it."
    torch.manual_seed(0)
    config = GALIPConfig.preset(preset, clip_pretrained=None)
    tr = Trainer(GALIP(config), None, TrainConfig(out_dir=out_dir, batch_size=batch_size, precision=precision, progress=False,
                                                  tensorboard=False, keep_memory=keep_memory), device=device)
    size = default_train_size(config)
    batch = dict(image=torch.rand(batch_size, 3, size, size) * 2 - 1,
                 caption=[f'a photo of thing number {i}' for i in range(batch_size)], skipped=0)
    return tr, batch


def bench(preset, batch_size, device, precision, steps, warmup, modes=('fast', 'reference'), keep_memory=True):
    times = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as d:
        tr, batch = trainer_and_batch(preset, batch_size, device, precision, d, keep_memory)
        size = batch['image'].shape[-1]
        sync = torch.cuda.synchronize if tr.device.type == 'cuda' else (lambda: None)
        for m in modes:
            tr.cfg.fast, tr.cfg.compile = MODES[m]
            for _ in range(warmup): tr.train_step([batch])
        for _ in range(steps):
            for m in modes:
                tr.cfg.fast, tr.cfg.compile = MODES[m]
                sync(); t = time.perf_counter()
                tr.train_step([batch])
                sync(); times[m].append(time.perf_counter() - t)
    rows = []
    for m in modes:
        per_step = statistics.median(times[m])
        rows.append(dict(preset=preset, path=m, batch_size=batch_size, device=str(tr.device), precision=tr.precision,
                         image_size=size, s_per_step=per_step, images_per_s=batch_size / per_step, steps=steps,
                         keep_memory=keep_memory, all_s=times[m]))
    paired = lambda slow, quick: statistics.median(b / a for a, b in zip(times[quick], times[slow]))   # step by step, then the median
    if 'reference' in modes and 'fast' in modes: rows[modes.index('fast')]['x_reference'] = paired('reference', 'fast')
    if 'compiled' in modes and 'fast' in modes: rows[modes.index('compiled')]['x_fast'] = paired('fast', 'compiled')
    return rows


def parts(batch_size=4, reps=3):
    "Median seconds of each piece of the fast training step (paper config, fp32), and the largest convolution's GFLOP/s."
    import torch.nn.functional as F
    from galip.fast import generator_train_forward
    from galip.losses import d_loss_terms, g_loss_terms
    torch.manual_seed(0)
    cfg = GALIPConfig.preset('paper', clip_pretrained=None)
    model, B = GALIP(cfg), batch_size
    g, enc = model.generator, model.image_encoder
    noise, sent, img = torch.randn(B, cfg.z_dim), torch.randn(B, cfg.sent_dim), torch.rand(B, 3, 224, 224) * 2 - 1
    with torch.no_grad(): taps, emb = enc(img, True, sdpa=True)
    def clip_grad():
        x = img.clone().requires_grad_(); t, e = enc(x, True, sdpa=True); (t.square().mean() + e.square().mean()).backward()
    def g_loss():
        t = taps.clone().requires_grad_(); g_loss_terms(model, t, emb, sent)['loss'].backward()
    last = g.blocks[-1].conv1                                  # the 128->224 block's first convolution
    x = torch.randn(B, last.in_channels, g.blocks[-1].size, g.blocks[-1].size, requires_grad=True)
    def conv_fb(): F.conv2d(x, last.weight, last.bias, padding=1).sum().backward()
    def run(fn):
        fn(); ts = []
        for _ in range(reps):
            t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
        return statistics.median(ts)
    with torch.no_grad():
        gen_fwd = run(lambda: generator_train_forward(g, noise, sent))
        clip_real = run(lambda: enc(img, False, sdpa=True))
    rows = dict(generator_forward=gen_fwd,
                generator_forward_backward=run(lambda: generator_train_forward(g, noise, sent).square().mean().backward()),
                clip_real_no_grad=clip_real, clip_fake_forward_backward=run(clip_grad),
                d_loss_ma_gp_forward_backward=run(lambda: d_loss_terms(model, taps, taps, sent)['loss'].backward()),
                g_loss_forward_backward=run(g_loss))
    flops = 3 * 2 * x.numel() * last.out_channels * 9          # forward, input gradient, weight gradient
    rows['largest_conv_forward_backward'] = t = run(conv_fb)
    rows['largest_conv_gflops'] = flops / t / 1e9
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
    p.add_argument('--compiled', action='store_true', help="time the fast step with TrainConfig.compile too (its compile is paid in the warm-up)")
    p.add_argument('--no-keep-memory', action='store_true', help="leave glibc's malloc as it is (TrainConfig.keep_memory=False)")
    p.add_argument('--json', help="also write the results here")
    p.add_argument('--parts', action='store_true', help="time the pieces of the fast paper step instead")
    a = p.parse_args()
    dev = torch.device(a.device)
    info = machine_info(dev)
    info['matmul_gflops'] = {str(dt).replace('torch.', ''): matmul_gflops(dt, dev) for dt in (torch.float32, torch.bfloat16)}
    print(f"torch {info['torch']}, {info['threads']} threads, {info.get('gpu') or info['cpu']} ({info['cpu_capability']}); "
          f"matmul fp32 {info['matmul_gflops']['float32']:.0f} GFLOP/s, bf16 {info['matmul_gflops']['bfloat16']:.0f} GFLOP/s",
          flush=True)
    if a.parts:
        from galip.utils import keep_freed_memory
        keep_freed_memory()
        rows = parts(a.batch_size)
        for k, v in rows.items(): print(f"{k:32} {v:8.3f}" + (' GFLOP/s' if k.endswith('gflops') else ' s'))
        if a.json:
            with open(a.json, 'w') as f: json.dump(dict(info=info, parts=rows, batch_size=a.batch_size), f, indent=2)
        raise SystemExit
    modes = ('fast',) if a.fast_only else ('fast', 'reference')
    if a.compiled: modes += ('compiled',)
    rows = [r for pr in a.presets for prec in a.precision for r in bench(pr, a.batch_size, a.device, prec, a.steps, a.warmup, modes, not a.no_keep_memory)]
    print(f"{'preset':8} {'path':10} {'device':8} {'precision':9} {'batch':>5} {'size':>5} {'s/step':>8} {'img/s':>8}  speed-up (paired) over")
    for r in rows:
        x = ' '.join(f"{k[2:]} {v:.2f}" for k, v in r.items() if k.startswith('x_'))
        print(f"{r['preset']:8} {r['path']:10} {r['device']:8} {r['precision']:9} {r['batch_size']:5d} {r['image_size']:5d} "
              f"{r['s_per_step']:8.3f} {r['images_per_s']:8.1f} {x}")
    if a.json:
        with open(a.json, 'w') as f: json.dump(dict(info=info, results=rows), f, indent=2)
