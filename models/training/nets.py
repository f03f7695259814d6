"""Network definitions for Lucid's models (PyTorch 1.13, exported to ONNX opset 17 with dynamic height/width)."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def cubic_weights(t: float, a: float = -0.75) -> list[float]:
    """Keys cubic convolution weights for taps at floor-1..floor+2, fraction t (PyTorch's bicubic uses a = -0.75)."""
    def w(x: float) -> float:
        x = abs(x)
        if x <= 1:
            return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
        if x < 2:
            return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
        return 0.0
    return [w(t + 1), w(t), w(1 - t), w(2 - t)]


class BicubicUp2(nn.Module):
    """Exact ×2 bicubic upsampling (align_corners=False, edge-clamped) as replicate-pad + 5×5 conv + PixelShuffle.

    HR row 2k samples LR position k − 0.25 (taps k−2..k+1, t = 0.75); row 2k+1 samples k + 0.25 (taps k−1..k+2,
    t = 0.25). Both fit a 5-tap window centred on k, so one conv with four fixed phase kernels does it.
    """

    def __init__(self) -> None:
        super().__init__()
        even = [*cubic_weights(0.75), 0.0]  # taps k-2..k+2
        odd = [0.0, *cubic_weights(0.25)]
        phases = [np.array(even), np.array(odd)]
        k = np.zeros((4, 1, 5, 5), dtype=np.float32)
        for py in range(2):
            for px in range(2):
                k[py * 2 + px, 0] = np.outer(phases[py], phases[px])
        self.register_buffer('weight', torch.from_numpy(k))
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shuffle(F.conv2d(F.pad(x, (2, 2, 2, 2), mode='replicate'), self.weight))


class ResBlock(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1)
        self.b = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.b(F.relu(self.a(x)))


class SRx2(nn.Module):
    """×2 super-resolution: exact bicubic plus a learned residual computed at low resolution (sub-pixel conv)."""

    def __init__(self, channels: int = 48, blocks: int = 8) -> None:
        super().__init__()
        self.up = BicubicUp2()
        self.head = nn.Conv2d(1, channels, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(channels) for _ in range(blocks)])
        self.tail = nn.Conv2d(channels, 4, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.head(x)
        return self.up(x) + self.shuffle(self.tail(self.body(f) + f))


class SRx2Fast(nn.Module):
    """Fast ×2 super-resolution: the same exact bicubic plus residual, but the residual is computed on the LR slice
    folded `fold`×`fold` into channels (pixel unshuffle), so each conv costs 1/fold² as much per channel and sees fold
    times as far; the tail emits the (2·fold)² output pixels of each folded position (pixel shuffle)."""

    def __init__(self, channels: int = 48, blocks: int = 4, fold: int = 2) -> None:
        super().__init__()
        self.k = fold
        self.up = BicubicUp2()
        self.fold = nn.PixelUnshuffle(fold)
        self.head = nn.Conv2d(fold * fold, channels, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(channels) for _ in range(blocks)])
        self.tail = nn.Conv2d(channels, 4 * fold * fold, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2 * fold)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2], x.shape[-1]
        # A side that is not a multiple of the fold is padded with edge rows/columns and cropped from the output.
        xp = F.pad(x, (0, (-w) % self.k, 0, (-h) % self.k), mode='replicate')
        f = self.head(self.fold(xp))
        return self.up(x) + self.shuffle(self.tail(self.body(f) + f))[..., : 2 * h, : 2 * w]


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


def conv_flops(m: nn.Module, h: int, w: int) -> int:
    """Multiply-adds × 2 of every convolution for an h × w input (hooks on a real forward pass)."""
    total = 0

    def hook(mod: nn.Module, inp: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
        nonlocal total
        if isinstance(mod, nn.Conv2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels // mod.groups
            total += 2 * k * out.numel()

    handles = [x.register_forward_hook(hook) for x in m.modules() if isinstance(x, nn.Conv2d)]
    with torch.no_grad():
        m(torch.zeros(1, 1, h, w))
    for hd in handles:
        hd.remove()
    # The fixed bicubic conv is F.conv2d, not a module: 2 × 25 × 4 per LR pixel.
    total += 2 * 25 * 4 * h * w if type(m).__name__ in ('SRx2', 'SRx2Fast') else 0
    return total


class Denoise(nn.Module):
    """Blind denoiser: a small U-Net (full, ½ and ¼ resolution) predicting the noise, subtracted from the input.

    Height and width must be multiples of 4 (the TypeScript pre-processing pads with edge values and crops back).
    """

    def __init__(self, c: int = 32) -> None:
        super().__init__()
        conv = lambda i, o, s=1: nn.Conv2d(i, o, 3, stride=s, padding=1)  # noqa: E731
        self.e1 = nn.ModuleList([conv(1, c), conv(c, c)])
        self.e2 = nn.ModuleList([conv(c, 2 * c, 2), conv(2 * c, 2 * c)])
        self.e3 = nn.ModuleList([conv(2 * c, 4 * c, 2), conv(4 * c, 4 * c), conv(4 * c, 4 * c)])
        self.u2 = conv(4 * c, 8 * c)  # → PixelShuffle → 2c channels at ½
        self.d2 = conv(2 * c, 2 * c)
        self.u1 = conv(2 * c, 4 * c)  # → PixelShuffle → c channels at full
        self.d1 = conv(c, c)
        self.out = nn.Conv2d(c, 1, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    @staticmethod
    def _run(layers: nn.ModuleList, x: torch.Tensor) -> torch.Tensor:
        for layer in layers:
            x = F.relu(layer(x))
        return x

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The U-Net's full-resolution features: encoder e1–e3, then up (u2, u1 → PixelShuffle) with skips (d2, d1)."""
        a = self._run(self.e1, x)
        b = self._run(self.e2, a)
        c = self._run(self.e3, b)
        b2 = F.relu(self.d2(self.shuffle(self.u2(c)) + b))
        return F.relu(self.d1(self.shuffle(self.u1(b2)) + a))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x - self.out(self.features(x))


def gaussian_kernel(sigma: float, radius: int) -> torch.Tensor:
    r = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-(r ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def separable_blur(r: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """`r` convolved with the 1-D kernel `k` along rows and columns, edges replicated."""
    p = (k.numel() - 1) // 2
    r = F.conv2d(F.pad(r, (p, p, 0, 0), mode='replicate'), k.view(1, 1, 1, -1))
    return F.conv2d(F.pad(r, (0, 0, p, p), mode='replicate'), k.view(1, 1, -1, 1))


class AnomalySeg(nn.Module):
    """Self-supervised anomaly segmenter (foreign-patch training, after FPI, Tan et al. 2020, and NSA, Schlüter et al.
    2022): a U-Net (full, ½ and ¼ resolution; dilated convolutions at ¼ give it a receptive field of about 160 pixels)
    trained on normal slices with patches of other slices blended in, to predict where and how strongly a slice was
    changed.
    Output: the predicted change in [0, 1], smoothed with a Gaussian (σ 1 px), at the input size. Height and width must
    be multiples of 4 (padded by the TypeScript pre-processing).
    """

    def __init__(self, c: int = 16) -> None:
        super().__init__()
        conv = lambda i, o, s=1, d=1: nn.Conv2d(i, o, 3, stride=s, padding=d, dilation=d)  # noqa: E731
        self.e1 = nn.ModuleList([conv(1, c), conv(c, c)])
        self.e2 = nn.ModuleList([conv(c, 2 * c, 2), conv(2 * c, 2 * c)])
        self.e3 = nn.ModuleList([conv(2 * c, 4 * c, 2), conv(4 * c, 4 * c, 1, 2), conv(4 * c, 4 * c, 1, 4), conv(4 * c, 4 * c, 1, 8), conv(4 * c, 4 * c, 1, 2)])
        self.u2 = conv(4 * c, 8 * c)
        self.d2 = conv(2 * c, 2 * c)
        self.u1 = conv(2 * c, 4 * c)
        self.d1 = conv(c, c)
        self.out = nn.Conv2d(c, 1, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)
        self.register_buffer('blur', gaussian_kernel(1.0, 3))

    _run = staticmethod(Denoise._run)
    features = Denoise.features  # the same U-Net path over this net's (dilated) layers

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.features(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return separable_blur(torch.sigmoid(self.logits(x)), self.blur)
