"""How much faster an int8 convolution is than fp32 on this CPU, at the generator's convolution shapes (batch 8).

    python bench/int8_conv.py               # single convolutions
    python bench/int8_conv.py --generator   # the paper generator with int8=True: speed and difference from exact
    python bench/int8_conv.py --shapes      # the shipped shapes model with int8=True: accuracy, diversity, difference
    python bench/int8_conv.py --sensitivity # why int8 moves one shapes model's pixels more than another's
    python bench/int8_conv.py --shapes --levels 127 --model lab/models/shipped14   # 7-bit inputs, another model (lab/README.md: how to rebuild it)

Single convolutions: PyTorch's own quantized convolution (the x86 engine: fbgemm/oneDNN) with per-channel int8 weights
and a per-tensor uint8 input, against the fp32 channels-last convolution of the fast path. "with (de)quantize" adds the
passes that turn the fp32 input into uint8 and the output back, which galip's int8 option pays (it keeps fp32 between
layers).

--generator times the paper generator (random weights) at batch 8 with `FastGenerator(..., int8=True)` (galip.fast's
`Int8Conv2d` for the up-blocks' 3x3 convolutions) against fp32, alternating, and compares both with the exact images.
--shapes samples the shipped shapes model exactly and with fast='int8' and prints the attribute accuracy, the
background diversity and the pixel difference of each.
--sensitivity compares the shipped shapes model with the first one galip shipped (lab/models/paper-recipe, rebuilt as lab/README.md says), in
fp32, at each of the convolutions int8 would round: how coarse int8's step (the input's range / levels) is against the
input's RMS, and how far the pixels move when that input alone is perturbed by the same relative amount (uniform noise of
±2.5% of its RMS) in both models.
"""
import argparse, statistics, time
import torch, torch.nn.functional as F
from galip.utils import keep_freed_memory
keep_freed_memory()   # as the galip command does

torch.backends.quantized.engine = 'x86' if 'x86' in torch.backends.quantized.supported_engines else 'fbgemm'


def best_ms(fn, n=5):
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def generator_probe(batch=8, rounds=3):
    "The paper generator (random weights) in fp32 and with int8=True, alternating: s/image and the difference from exact."
    from galip.core import GALIPConfig
    from galip.clip import load_clip
    from galip.generator import Generator
    from galip.fast import FastGenerator, randomize_affines, compare
    torch.manual_seed(0)
    cfg = GALIPConfig.preset('paper', clip_pretrained=None)
    gen = randomize_affines(Generator(cfg, load_clip(cfg).visual)).eval()
    fast = {'fp32': FastGenerator(gen, torch.float32), 'int8': FastGenerator(gen, torch.float32, int8=True)}
    z, s = torch.randn(batch, cfg.z_dim), torch.randn(batch, cfg.sent_dim)
    times = {m: [] for m in fast}
    with torch.inference_mode():
        exact = gen(z, s)
        for _ in range(rounds):
            for mode, fg in fast.items():
                out = fg(z, s)
                times[mode].append(best_ms(lambda: fg(z, s), 3) / 1e3 / batch)
                err = compare(out, exact)
                print(f"{mode}: {times[mode][-1]:.3f} s/image, max diff {err['max']:.1e}, mean diff {err['mean']:.1e}", flush=True)
    ratio = statistics.median(a / b for a, b in zip(times['fp32'], times['int8']))
    print(f"median fp32 {statistics.median(times['fp32']):.3f} s/image, int8 {statistics.median(times['int8']):.3f} s/image, "
          f"int8 {ratio:.2f}x faster (paired)")


def shapes_probe(n_acc=200, name='shapes'):
    "A shapes model (the shipped one by default) sampled exactly and with fast='int8': attribute accuracy, background diversity, pixel difference."
    from galip.model import GALIP
    from galip.sample import generate, to_uint8
    from galip.shapes.world import ShapesWorld
    from galip.shapes.model import attribute_accuracy, background_diversity
    model = GALIP.from_pretrained(name)
    test = ShapesWorld(seed=10_000, two_objects=0, split='train')
    prompts = ['a large red circle in the center', 'a small blue square in the top left', 'a large green triangle in the bottom right']
    ref = to_uint8(generate(model, prompts, 8, seed=1, fast=False)).float()
    for fast in (False, 'int8'):
        acc = attribute_accuracy(model, test, n_acc, 0, fast=fast)
        div = background_diversity(model, test, fast=fast)
        d = (to_uint8(generate(model, prompts, 8, seed=1, fast=fast)).float() - ref).abs()
        print(f"{'exact' if fast is False else fast:5}: accuracy " + ', '.join(f'{k} {v:.1%}' for k, v in acc.items()) +
              f"; backgrounds {div['levels']:.2f} of 5, TV {div['tv']:.3f}, spread {div['spread']:.1f}; "
              f"pixels vs exact: max {d.max():.0f}, mean {d.mean():.2f} of 255", flush=True)


def sensitivity_probe(rel=0.05):
    "Per int8 convolution of two shapes models (fp32 throughout): int8's step against the input's RMS, and the pixel change a perturbation of rel x RMS (uniform) causes."
    import torch.nn.functional as F
    from galip import fast as gf
    from galip.model import GALIP
    from galip.sample import generate, to_uint8
    prompts = ['a large red circle in the center', 'a small blue square in the top left', 'a large green triangle in the bottom right']
    state = {}
    def probe_forward(self, x):             # stands in for Int8Conv2d.forward: exact fp32, with one input perturbed
        i = state['i'] = state['i'] + 1
        B = x.shape[0]
        rms = x.pow(2).mean().sqrt()
        rng = x.amax((1, 2, 3)).clamp(min=0) - x.amin((1, 2, 3)).clamp(max=0)     # each image's range, as Int8Conv2d
        state['steps'].append(float((rng / self.levels).mean() / rms))
        if state['target'] == i: x = x + (torch.rand(x.shape, generator=state['g']) - 0.5) * rel * rms
        return F.conv2d(x, self.w_full, self.bias, padding=self.pad[0])
    init = gf.Int8Conv2d.__init__
    def keep_weights(self, weight, bias=None, padding=0):
        init(self, weight, bias, padding); self.w_full = weight.detach().float().cpu().clone()
    gf.Int8Conv2d.__init__, forward = keep_weights, gf.Int8Conv2d.forward
    gf.Int8Conv2d.forward = probe_forward
    try:
        for name in ('shapes', 'lab/models/paper-recipe'):
            model = GALIP.from_pretrained(name)
            ref = to_uint8(generate(model, prompts, 8, seed=1, fast=False)).float()
            moved = []
            for target in range(0, 99):
                state.update(i=-1, target=target, steps=[], g=torch.Generator().manual_seed(0))
                out = to_uint8(generate(model, prompts, 8, seed=1, fast='int8')).float()
                if target >= len(state['steps']): break
                moved.append((out - ref).abs().mean().item())
            print(f"{name}: int8 step / RMS of each rounded input: " + ', '.join(f'{v:.2f}' for v in state['steps']))
            print(f"{name}: pixels moved (mean, of 255) by ±{rel / 2:.1%} of RMS on that input alone: " +
                  ', '.join(f'{v:.2f}' for v in moved), flush=True)
    finally: gf.Int8Conv2d.__init__, gf.Int8Conv2d.forward = init, forward


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--generator', action='store_true', help="the whole fast generator instead of single convolutions")
    ap.add_argument('--shapes', action='store_true', help="picture quality of the shipped shapes model with int8")
    ap.add_argument('--sensitivity', action='store_true', help="why int8 moves one shapes model's pixels more than another's")
    ap.add_argument('--model', default='shapes', help="--shapes: the model to probe, a shipped name or a folder (default: %(default)s)")
    ap.add_argument('--levels', type=int, choices=(127, 255), help="int8's input levels (default: this CPU's, int8_levels()); "
                    "127 on a CPU with VNNI gives the 7-bit inputs of one without it (255 without VNNI would saturate)")
    args = ap.parse_args()
    if args.levels:
        from galip import fast as gf
        gf.int8_levels = lambda: args.levels          # read when each Int8Conv2d is built
    if args.sensitivity:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
        sensitivity_probe(); raise SystemExit
    if args.generator or args.shapes:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {torch.backends.cpu.get_cpu_capability()}")
        if args.generator: generator_probe()
        if args.shapes: shapes_probe(name=args.model)
        raise SystemExit
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {torch.backends.cpu.get_cpu_capability()}, "
          f"quantized engine {torch.backends.quantized.engine}")
    print("| convolution | fp32 ms (GFLOP/s) | int8 ms (GOP/s) | int8 with (de)quantize ms | fp32 / int8 with (de)quantize |")
    print("|---|---|---|---|---|")
    for B, I, O, S in [(8, 512, 512, 32), (8, 256, 128, 128), (8, 128, 64, 224)]:
        torch.manual_seed(0)
        x = torch.randn(B, I, S, S).contiguous(memory_format=torch.channels_last)
        w, b = torch.randn(O, I, 3, 3) * 0.05, torch.zeros(O)
        wc = w.contiguous(memory_format=torch.channels_last)
        with torch.inference_mode():
            t32 = best_ms(lambda: F.conv2d(x, wc, b, padding=1))
            qw = torch.quantize_per_channel(w, (w.abs().amax((1, 2, 3)) / 127).clamp_min(1e-8),
                                            torch.zeros(O, dtype=torch.long), 0, torch.qint8)
            packed = torch.ops.quantized.conv2d_prepack(qw, b, [1, 1], [1, 1], [1, 1], 1)
            scale = float(x.abs().max() / 127)
            qx = torch.quantize_per_tensor(x, scale, 64, torch.quint8)
            tq = best_ms(lambda: torch.ops.quantized.conv2d(qx, packed, 0.05, 64))
            tqd = best_ms(lambda: torch.ops.quantized.conv2d(torch.quantize_per_tensor(x, scale, 64, torch.quint8),
                                                             packed, 0.05, 64).dequantize())
        gf = 2 * B * S * S * I * O * 9 / 1e9
        print(f"| {I}→{O}, {S}×{S} | {t32:.0f} ({gf / t32 * 1e3:.0f}) | {tq:.0f} ({gf / tq * 1e3:.0f}) | {tqd:.0f} | {t32 / tqd:.2f}× |")
