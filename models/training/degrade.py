"""Simulated acquisition noise for the denoiser (training and evaluation), in normalised units.

CT ("low-dose"): zero-mean Gaussian noise in HU, slightly spatially correlated (blurred with σ = 0.7 px and rescaled
to the target standard deviation), standard deviation 10, 20 or 40 HU (levels low/medium/high).
MR: Rician noise, magnitude of (signal + n1, n2) with n1, n2 ~ N(0, σ²), σ = 2 %, 4 % or 8 % of the slice's
99th percentile (levels low/medium/high).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from common import CT_SCALE

CT_SIGMA_HU = {'low': 10.0, 'medium': 20.0, 'high': 40.0}
MR_SIGMA_FRACTION = {'low': 0.02, 'medium': 0.04, 'high': 0.08}
LEVELS = ('low', 'medium', 'high')


def _blur_kernel(sigma: float = 0.7) -> torch.Tensor:
    r = torch.arange(-2, 3, dtype=torch.float32)
    g = torch.exp(-(r ** 2) / (2 * sigma ** 2))
    return g / g.sum()


_K = _blur_kernel()


def correlated_noise(shape: tuple[int, ...], gen: torch.Generator) -> torch.Tensor:
    """Unit-variance Gaussian noise with a short spatial correlation (CT reconstruction texture)."""
    n = torch.randn(shape, generator=gen)
    x = n.reshape(-1, 1, shape[-2], shape[-1])
    x = F.conv2d(F.pad(x, (2, 2, 0, 0), mode='reflect'), _K.view(1, 1, 1, 5))
    x = F.conv2d(F.pad(x, (0, 0, 2, 2), mode='reflect'), _K.view(1, 1, 5, 1))
    x = x / x.std()
    return x.reshape(shape)


def add_ct_noise(x: torch.Tensor, sigma_hu: float | torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """x: normalised CT (HU + 1024) / 2048; sigma in HU (scalar or per-sample tensor)."""
    s = torch.as_tensor(sigma_hu, dtype=torch.float32).reshape(-1, *([1] * (x.dim() - 1))) if torch.is_tensor(sigma_hu) else sigma_hu
    return x + correlated_noise(tuple(x.shape), gen) * (s / CT_SCALE)


def add_rician_noise(x: torch.Tensor, sigma: float | torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """x: normalised MR (p1 → 0, p99 → 1), so σ as a fraction of p99 is σ in these units (to within p1)."""
    s = sigma.reshape(-1, *([1] * (x.dim() - 1))) if torch.is_tensor(sigma) else sigma
    n1 = torch.randn(x.shape, generator=gen) * s
    n2 = torch.randn(x.shape, generator=gen) * s
    return torch.sqrt((x + n1) ** 2 + n2 ** 2)


def noisy(x: np.ndarray, modality: str, level: str, seed: int) -> np.ndarray:
    """Deterministic noisy version of one normalised slice, for evaluation."""
    gen = torch.Generator().manual_seed(seed)
    t = torch.from_numpy(x)[None, None]
    out = add_ct_noise(t, CT_SIGMA_HU[level], gen) if modality == 'CT' else add_rician_noise(t, MR_SIGMA_FRACTION[level], gen)
    return out[0, 0].numpy()
