"""Image quality and detection metrics used by the evaluation (pure numpy/torch, no extra packages).

PSNR and SSIM are computed in modality units with data range R = max − min of the reference slice
(so CT and MR are on their own natural scales); SSIM uses the standard 11×11 Gaussian window, σ = 1.5,
K1 = 0.01, K2 = 0.03 (Wang et al. 2004).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def psnr(ref: np.ndarray, x: np.ndarray) -> float:
    r = float(ref.max() - ref.min()) or 1.0
    mse = float(np.mean((ref.astype(np.float64) - x) ** 2))
    return float('inf') if mse == 0 else 10 * np.log10(r * r / mse)


def _gauss(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    g = torch.arange(size, dtype=torch.float64) - size // 2
    g = torch.exp(-(g ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def ssim(ref: np.ndarray, x: np.ndarray) -> float:
    r = float(ref.max() - ref.min()) or 1.0
    a = torch.from_numpy(ref.astype(np.float64))[None, None]
    b = torch.from_numpy(np.asarray(x, dtype=np.float64))[None, None]
    g = _gauss()
    def blur(t: torch.Tensor) -> torch.Tensor:
        t = F.conv2d(t, g.view(1, 1, 1, -1))
        return F.conv2d(t, g.view(1, 1, -1, 1))
    c1, c2 = (0.01 * r) ** 2, (0.03 * r) ** 2
    mu_a, mu_b = blur(a), blur(b)
    saa = blur(a * a) - mu_a ** 2
    sbb = blur(b * b) - mu_b ** 2
    sab = blur(a * b) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return float(s.mean())


def auprc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the precision–recall curve (average precision, step-wise)."""
    order = np.argsort(-scores, kind='stable')
    y = labels[order].astype(np.float64)
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    total = y.sum()
    return float((precision * y).sum() / total) if total else 0.0


def auroc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores, kind='stable')
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # Average ranks for ties.
    s = scores[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j + 2) / 2
        i = j + 1
    pos = labels.astype(bool)
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else 0.5


def best_dice(scores: np.ndarray, labels: np.ndarray, thresholds: int = 100) -> float:
    pos = labels.astype(bool)
    best = 0.0
    for t in np.quantile(scores, np.linspace(0.5, 0.9999, thresholds)):
        pred = scores >= t
        inter = (pred & pos).sum()
        d = 2 * inter / (pred.sum() + pos.sum() + 1e-9)
        best = max(best, float(d))
    return best
