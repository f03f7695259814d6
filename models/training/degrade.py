"""Simulated acquisition noise for the denoiser (training and evaluation), in normalised units.

Real slices already carry noise (σ0, estimated per slice). Noise levels are therefore set relative to it, as a
dose (or SNR) reduction would: keeping a fraction f of the dose multiplies the noise by 1/√f, so the added noise is
σ = σ0 · √(1/f − 1). Levels: ½ dose (σ = σ0), ¼ dose (σ ≈ 1.73 σ0), ⅛ dose (σ ≈ 2.65 σ0), 1/16 dose (σ ≈ 3.87 σ0).
The targets apply from ¼ dose down (TARGET_LEVELS; ¼ dose is the usual low-dose CT benchmark): against a reference
that carries noise σ0 itself, no denoiser can gain more than 10·log10(1 + (σ/σ0)²) over its input, 3.0 dB at ½ dose,
so that level is reported for information only.
Textures (TEXTURES, per modality), σ always the per-pixel standard deviation of the added noise:
  white       zero-mean white Gaussian;
  corr-0.7    Gaussian blurred with σ = 0.7 px and rescaled (short correlation, as reconstructed CT noise has; the
              only CT texture before issue 16, and still the default of add_noise for CT);
  corr-1.2    the same with σ = 1.2 px (a smoother reconstruction kernel, coarser grain);
  rician      MR only: the magnitude of (signal + n1, n2) with n1, n2 ~ N(0, σ²) (the default for MR).
σ0: robust (MAD) standard deviation of horizontal neighbour differences in tissue, divided by √2.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from common import CT_SCALE

DOSE_FRACTION = {'half': 1 / 2, 'quarter': 1 / 4, 'eighth': 1 / 8, 'sixteenth': 1 / 16}
LEVELS = tuple(DOSE_FRACTION)
TARGET_LEVELS = ('quarter', 'eighth', 'sixteenth')


def relative_sigma(level: str) -> float:
    """Added noise in units of the slice's own noise σ0 for a dose fraction f: √(1/f − 1)."""
    return float(np.sqrt(1 / DOSE_FRACTION[level] - 1))


def reference_ceiling_db(level: str) -> float:
    """Best gain over the noisy input any denoiser can show against a reference with its own noise σ0."""
    return float(10 * np.log10(1 + relative_sigma(level) ** 2))


def estimate_noise(x: np.ndarray, modality: str) -> float:
    """σ0 of a normalised slice: MAD of horizontal neighbour differences where both pixels are tissue, / √2."""
    a, b = x[:, 1:], x[:, :-1]
    if modality == 'CT':
        lo, hi = (-100 + 1024) / CT_SCALE, (150 + 1024) / CT_SCALE  # soft tissue, −100…150 HU
        m = (a > lo) & (a < hi) & (b > lo) & (b < hi)
    else:
        m = (a > 0.3) & (b > 0.3)
    d = (a - b)[m]
    if d.size < 100:
        d = (a - b).ravel()
    return float(max(np.median(np.abs(d - np.median(d))) * 1.4826 / np.sqrt(2), 1e-4))


# The denoiser reads its input in units of the slice's own estimated noise (models/denoise/preprocess.ts mirrors
# this): u = (x − DENOISE_CENTRE) / s with s = estimate_noise(x) / NOISE_UNIT, so the noise the net sees always has
# a neighbour-difference SD near NOISE_UNIT, whatever the level (a CT's few HU or an MR's few per cent) and the
# modality; the output is mapped back with the same s. The level is thus estimated in front of the net, and the net
# is left to tell the texture from the image. The centre is 0 (air on CT, background on MR), so zero stays zero
# whatever s is: the net can tell Gaussian noise, which goes below the background, from Rician magnitude noise, which
# does not (with a centre of 0.5 it could not, and took away a Rician bias from Gaussian-noisy MR background).
NOISE_UNIT = 0.1
DENOISE_CENTRE = 0.0


def denoise_scale(x: np.ndarray, modality: str) -> float:
    return estimate_noise(x, modality) / NOISE_UNIT


TEXTURES = {'CT': ('white', 'corr-0.7', 'corr-1.2'), 'MR': ('rician', 'white', 'corr-1.2')}
DEFAULT_TEXTURE = {'CT': 'corr-0.7', 'MR': 'rician'}


def _blur_kernel(sigma: float) -> torch.Tensor:
    """1-D Gaussian taps, radius max(2, round(3σ)) (σ = 0.7 keeps the 5 taps CT noise was always made with)."""
    radius = max(2, int(3 * sigma + 0.5))
    r = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-(r ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def correlated_noise(shape: tuple[int, ...], gen: torch.Generator, blur: float = 0.7) -> torch.Tensor:
    """Unit-variance Gaussian noise, white (blur 0) or blurred with a Gaussian of σ = `blur` px and rescaled."""
    n = torch.randn(shape, generator=gen)
    if blur <= 0:
        return n
    k = _blur_kernel(blur)
    r = (len(k) - 1) // 2
    x = n.reshape(-1, 1, shape[-2], shape[-1])
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode='reflect'), k.view(1, 1, 1, -1))
    x = F.conv2d(F.pad(x, (0, 0, r, r), mode='reflect'), k.view(1, 1, -1, 1))
    x = x / x.std()
    return x.reshape(shape)


def texture_blur(texture: str) -> float:
    """Blur σ (px) of a Gaussian texture: 0 for white, 0.7 for corr-0.7, …"""
    return 0.0 if texture in ('white', 'rician') else float(texture.split('-')[1])


def add_rician_noise(x: torch.Tensor, sigma: float, gen: torch.Generator) -> torch.Tensor:
    """x: normalised MR (p1 → 0, p99 → 1), so σ as a fraction of p99 is σ in these units (to within p1)."""
    n1 = torch.randn(x.shape, generator=gen) * sigma
    n2 = torch.randn(x.shape, generator=gen) * sigma
    return torch.sqrt((x + n1) ** 2 + n2 ** 2)


def add_noise(x: torch.Tensor, modality: str, sigma: float, gen: torch.Generator, texture: str | None = None,
              blur: float | None = None) -> torch.Tensor:
    """σ in normalised units (for CT, σ × 2048 HU). `texture` defaults to the modality's DEFAULT_TEXTURE; `blur`
    (px) sets a Gaussian texture's kernel (texture 'corr' needs it), so training can draw kernels between the
    evaluated ones."""
    texture = texture or DEFAULT_TEXTURE[modality]
    if texture == 'rician':
        return add_rician_noise(x, sigma, gen)
    return x + correlated_noise(tuple(x.shape), gen, texture_blur(texture) if blur is None else blur) * sigma


def noisy(x: np.ndarray, modality: str, level: str, seed: int, texture: str | None = None) -> np.ndarray:
    """Deterministic noisy version of one normalised slice at a dose level and texture, for evaluation."""
    gen = torch.Generator().manual_seed(seed)
    sigma = relative_sigma(level) * estimate_noise(x, modality)
    return add_noise(torch.from_numpy(x)[None, None], modality, sigma, gen, texture)[0, 0].numpy()


def flat_window_sd_hu(hu: np.ndarray, k: int = 15) -> float:
    """Cross-check of σ0 for CT: the 5th percentile of the SD in k × k windows of soft tissue (−100…150 HU mean)."""
    t = torch.from_numpy(hu.astype(np.float64))[None, None]
    m, m2 = F.avg_pool2d(t, k, 1), F.avg_pool2d(t * t, k, 1)
    sd = torch.sqrt(torch.clamp(m2 - m * m, min=0))[0, 0].numpy()
    soft = (m[0, 0].numpy() > -100) & (m[0, 0].numpy() < 150)
    return float(np.percentile(sd[soft], 5)) if soft.sum() > 100 else float('nan')


if __name__ == '__main__':
    # σ0 of the middle slice of every volume present (HU for CT, normalised units for MR); for CT also the SD of the
    # flattest soft-tissue windows, an upper bound that shows whether the neighbour-difference estimate is low.
    from common import TRAIN, VALIDATION, available, load_volume, normalise
    for name in available(VALIDATION + TRAIN):
        vol = load_volume(name)
        x, _ = normalise(vol.image[vol.image.shape[0] // 2], vol.modality)
        s0 = estimate_noise(x, vol.modality)
        extra = f"  ({s0 * CT_SCALE:.1f} HU; flattest 15x15 soft-tissue windows: SD {flat_window_sd_hu(vol.image[vol.image.shape[0] // 2]):.1f} HU)" if vol.modality == 'CT' else ''
        print(f"{name:28s} {vol.modality}  sigma0 = {s0:.5f}{extra}")
