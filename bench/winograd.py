"""An experiment that did not make it into the fast path: Winograd F(4x4, 3x3) convolutions written with PyTorch ops.

    python bench/winograd.py

Winograd's F(4x4, 3x3) computes a 3x3 convolution with 36 multiplies per 4x4 output tile instead of 144, so it could cut
the up-blocks' multiply-adds by 4x. Here the transforms are einsums over 6x6 input tiles and the 36 products one batched
matmul; the script checks it against F.conv2d and times both, channels-last fp32, at the generator's full-resolution
convolution shapes (batch 8). On a 2-core CPU the transforms are memory-bound and it loses to oneDNN's direct
convolution at every shape but the smallest map with the most channels (see the README's sampling section).
"""
import time
import torch, torch.nn.functional as F

# transform matrices of F(4x4, 3x3) with interpolation points 0, ±1, ±2 and infinity
BT = torch.tensor([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                   [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]], dtype=torch.float64)
G = torch.tensor([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                  [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], dtype=torch.float64)
AT = torch.tensor([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]], dtype=torch.float64)


def winograd_weight(w):
    "(O, I, 3, 3) kernel -> (36, I, O) transformed kernel."
    return torch.einsum('ij,oejk,lk->ileo', G, w.double(), G).reshape(36, w.shape[1], w.shape[0]).float().contiguous()


def winograd_conv(x, u, bias):
    "3x3 convolution, padding 1, of x (B, C, H, W) with H, W multiples of 4, by F(4x4, 3x3)."
    B, C, H, W = x.shape
    O, th, tw = u.shape[-1], H // 4, W // 4
    tiles = F.pad(x, (1, 1, 1, 1)).permute(0, 2, 3, 1).unfold(1, 6, 4).unfold(2, 6, 4)      # (B, th, tw, C, 6, 6)
    v = torch.einsum('ij,btwcjk,lk->ilbtwc', BT.float(), tiles, BT.float()).reshape(36, B * th * tw, C)
    m = torch.bmm(v, u).view(6, 6, B, th, tw, O)
    y = torch.einsum('pi,ijbtwo,qj->btpwqo', AT.float(), m, AT.float()).reshape(B, H, W, O)
    return y.add_(bias).permute(0, 3, 1, 2)


def seconds(f, n=3):
    f()
    t = time.perf_counter()
    for _ in range(n): f()
    return (time.perf_counter() - t) / n


if __name__ == '__main__':
    torch.manual_seed(0)
    print(f"{torch.get_num_threads()} threads\n\n| in → out channels | size | direct (s) | Winograd (s) | rel. error |\n|---|---|---|---|---|")
    for c, o, h in [(128, 64, 224), (64, 64, 224), (128, 128, 128), (256, 256, 64), (512, 512, 32)]:
        x = torch.randn(8, c, h, h).contiguous(memory_format=torch.channels_last)
        w, b = torch.randn(o, c, 3, 3) / (9 * c) ** 0.5, torch.randn(o)
        wc, u = w.contiguous(memory_format=torch.channels_last), winograd_weight(w)
        with torch.inference_mode():
            ref = F.conv2d(x, wc, b, padding=1)
            err = float((winograd_conv(x, u, b) - ref).abs().max() / ref.abs().max())
            td, tw_ = seconds(lambda: F.conv2d(x, wc, b, padding=1)), seconds(lambda: winograd_conv(x, u, b))
        print(f"| {c} → {o} | {h}×{h} | {td:.3f} | {tw_:.3f} | {err:.1e} |")
