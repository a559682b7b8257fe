"""How much faster an int8 convolution is than fp32 on this CPU, at the generator's convolution shapes (batch 8).

    python tools/bench_int8_conv.py

A measurement towards an int8 fast path, which galip does not have yet: PyTorch's own quantized convolution (the x86
engine: fbgemm/oneDNN) with per-channel int8 weights and a per-tensor uint8 input, against the fp32 channels-last
convolution the fast path runs today. "with (de)quantize" adds the passes that turn the fp32 input into uint8 and the
output back, which an int8 path that keeps fp32 between layers would pay. Only speed is measured here, not pictures.
"""
import time
import torch, torch.nn.functional as F

torch.backends.quantized.engine = 'x86' if 'x86' in torch.backends.quantized.supported_engines else 'fbgemm'


def best_ms(fn, n=5):
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


if __name__ == '__main__':
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
