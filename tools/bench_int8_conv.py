"""How much faster an int8 convolution is than fp32 on this CPU, at the generator's convolution shapes (batch 8).

    python tools/bench_int8_conv.py               # single convolutions
    python tools/bench_int8_conv.py --generator   # the whole fast generator with int8 convolutions, speed and error

A measurement towards an int8 fast path, which galip does not have yet: PyTorch's own quantized convolution (the x86
engine: fbgemm/oneDNN) with per-channel int8 weights and a per-tensor uint8 input, against the fp32 channels-last
convolution the fast path runs today. "with (de)quantize" adds the passes that turn the fp32 input into uint8 and the
output back, which an int8 path that keeps fp32 between layers would pay.

--generator swaps the fast generator's convolutions (those with at least 64 input and 16 output channels) for oneDNN's
int8 convolution with fp32 output (per-channel weight scales, one dynamic scale per input tensor), times the paper
generator at batch 8 against fp32 (random weights, alternating), and compares both with the exact images.
"""
import argparse, statistics, time
import torch, torch.nn.functional as F

torch.backends.quantized.engine = 'x86' if 'x86' in torch.backends.quantized.supported_engines else 'fbgemm'


def best_ms(fn, n=5):
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def int8_conv2d(real_conv, state):
    "A drop-in for F.conv2d that runs large convolutions in int8 while state['on'] (weights packed once, by address)."
    cache = {}
    def conv(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
        if (not state['on'] or w.ndim != 4 or w.shape[0] < 16 or w.shape[1] < 64 or x.dtype != torch.float32
                or stride != 1 or dilation != 1 or groups != 1):
            return real_conv(x, w, b, stride, padding, dilation, groups)
        pad = [padding, padding] if isinstance(padding, int) else list(padding)
        key = (w.data_ptr(), tuple(w.shape), tuple(pad))
        if key not in cache:
            wf = w.contiguous().float()
            ws = (wf.abs().amax((1, 2, 3)) / 127).clamp_min(1e-12)
            wq = torch.round(wf / ws[:, None, None, None]).clamp(-127, 127).to(torch.int8)
            cache[key] = (torch.ops.onednn.qconv_prepack(wq, ws, 0.01, 128, [1, 1], pad, [1, 1], 1, None), ws,
                          torch.zeros(wf.shape[0], dtype=torch.long))
        packed, ws, wz = cache[key]
        s = float(x.abs().amax()) / 127 + 1e-12
        qx = torch.quantize_per_tensor(x, s, 128, torch.quint8).int_repr()
        return torch.ops.onednn.qconv2d_pointwise(qx, s, 128, packed, ws, wz, b, [1, 1], pad, [1, 1], 1, 1.0, 0,
                                                  torch.float32, 'none', [], '')
    return conv


def generator_probe(batch=8, rounds=2):
    import galip.fast as gf
    from galip.core import GALIPConfig
    from galip.clip import load_clip
    from galip.generator import Generator
    from galip.fast import FastGenerator, randomize_affines, compare
    state = dict(on=False)
    gf.F.conv2d = int8_conv2d(F.conv2d, state)     # galip.fast calls F.conv2d: swap it there
    torch.manual_seed(0)
    cfg = GALIPConfig.preset('paper', clip_pretrained=None)
    gen = randomize_affines(Generator(cfg, load_clip(cfg).visual)).eval()
    fast = FastGenerator(gen, torch.float32)
    z, s = torch.randn(batch, cfg.z_dim), torch.randn(batch, cfg.sent_dim)
    times = {'fp32': [], 'int8': []}
    with torch.inference_mode():
        exact = gen(z, s)
        for _ in range(rounds):
            for mode in times:
                state['on'] = mode == 'int8'
                out = fast(z, s)
                times[mode].append(best_ms(lambda: fast(z, s), 3) / 1e3 / batch)
                err = compare(out, exact)
                print(f"{mode}: {times[mode][-1]:.3f} s/image, max diff {err['max']:.1e}, mean diff {err['mean']:.1e}", flush=True)
    print(f"median fp32 {statistics.median(times['fp32']):.3f} s/image, int8 {statistics.median(times['int8']):.3f} s/image")


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--generator', action='store_true', help="the whole fast generator instead of single convolutions")
    if ap.parse_args().generator:
        generator_probe()
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
