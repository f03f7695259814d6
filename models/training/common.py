"""Shared data access, subject split and normalisation for Lucid's models.

Reads the real volumes from ../shared/data/volumes at run time (never copied into the repo).
The normalisation here is mirrored exactly by models/<id>/preprocess.ts and postprocess.ts.
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DATA = os.environ.get('LUCID_DATA', os.path.join(REPO, '..', 'shared', 'data', 'volumes'))

# Subject-level split (shared/data/volumes/SOURCES.md). The four ADI files are one person: all in train.
VALIDATION = ['mr_t1_ixi051', 'ct_chest_bellona']
TRAIN = [
    'mr_t1_studyforrest_01', 'mr_t1_adi_memprage_part1', 'mr_t1_adi_memprage_part2',
    'mr_t2_adi_axfse_part1', 'mr_t2_adi_axfse_part2',
    'mr_t1_ixi013', 'mr_t1_ixi014', 'mr_t1_ixi033', 'mr_t1_ixi034', 'mr_t1_ixi039', 'mr_t1_ixi048', 'mr_t1_ixi049',
    'mr_t1_colin27', 'mr_t1_nipy_anatomical', 'ct_chest_lidc0314',
]

# CT: a fixed, documented mapping from Hounsfield units: x = (HU + 1024) / 2048, HU clipped to [-1024, 3071].
CT_OFFSET = 1024.0
CT_SCALE = 2048.0
CT_MIN, CT_MAX = -1024.0, 3071.0
# MR: robust percentiles of the slice: x = (v - p1) / (p99 - p1), computed over the whole slice.
MR_LOW_PCT, MR_HIGH_PCT = 1.0, 99.0


def seed_everything(seed: int = 1234) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class Volume:
    name: str
    modality: str
    image: np.ndarray  # float32 (slices, rows, cols), modality units
    spacing: np.ndarray


def load_volume(name: str) -> Volume:
    with np.load(os.path.join(DATA, f'{name}.npz')) as z:
        return Volume(name, str(z['modality']), z['image'].astype(np.float32), z['spacing_mm'].astype(np.float32))


def available(names: list[str]) -> list[str]:
    return [n for n in names if os.path.exists(os.path.join(DATA, f'{n}.npz'))]


def mr_range(slice_: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(slice_, [MR_LOW_PCT, MR_HIGH_PCT])
    if hi - lo < 1e-6:
        hi = lo + 1.0
    return float(lo), float(hi)


def normalise(slice_: np.ndarray, modality: str) -> tuple[np.ndarray, tuple[float, float]]:
    """Modality values → model values; returns the (offset, scale) so that x = (v - offset) / scale."""
    if modality == 'CT':
        v = np.clip(slice_, CT_MIN, CT_MAX)
        return ((v + CT_OFFSET) / CT_SCALE).astype(np.float32), (-CT_OFFSET, CT_SCALE)
    lo, hi = mr_range(slice_)
    return ((slice_ - lo) / (hi - lo)).astype(np.float32), (lo, hi - lo)


def denormalise(x: np.ndarray, params: tuple[float, float]) -> np.ndarray:
    offset, scale = params
    return x * scale + offset


def tissue_slices(vol: Volume, min_fraction: float = 0.15) -> list[int]:
    """Slice indices with at least `min_fraction` of pixels above background (skips empty end slices)."""
    out = []
    for i in range(vol.image.shape[0]):
        s = vol.image[i]
        thr = -500 if vol.modality == 'CT' else np.percentile(s, 99) * 0.1
        if (s > thr).mean() >= min_fraction:
            out.append(i)
    return out


def area_down2(x: np.ndarray) -> np.ndarray:
    """×2 area downsampling (mean of each 2×2 block); odd edges are cropped."""
    h, w = x.shape[-2] // 2 * 2, x.shape[-1] // 2 * 2
    x = x[..., :h, :w]
    return 0.25 * (x[..., 0::2, 0::2] + x[..., 1::2, 0::2] + x[..., 0::2, 1::2] + x[..., 1::2, 1::2])


def area_down(x: np.ndarray, k: int) -> np.ndarray:
    """×k area downsampling (mean of each k×k block); edges short of a whole block are padded by repeating the last
    row/column, the same as models/anomaly/preprocess.ts does."""
    if k <= 1:
        return x
    h, w = x.shape[-2], x.shape[-1]
    ph, pw = -h % k, -w % k
    if ph or pw:
        x = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(0, ph), (0, pw)], mode='edge')
    H, W = x.shape[-2] // k, x.shape[-1] // k
    return x.reshape(*x.shape[:-2], H, k, W, k).mean(axis=(-3, -1))


# Anomaly screening works at about this many mm per pixel: each slice is area-downsampled by the whole factor
# round(ANOMALY_MM / pixel spacing) (at least 1), in training and in the app (models/anomaly/preprocess.ts).
ANOMALY_MM = 1.6


# Anomaly screening reads CT in a soft-tissue window: x = (clip(HU, −250, 350) + 250) / 600, so a 100 HU lesion is
# 0.17 units, against 0.05 on the full HU map where air and bone edges (0.5) drown soft-tissue contrast. MR as above.
ANOMALY_CT_WINDOW = (-250.0, 350.0)


def anomaly_normalise(slice_: np.ndarray, modality: str) -> np.ndarray:
    if modality == 'CT':
        lo, hi = ANOMALY_CT_WINDOW
        return ((np.clip(slice_, lo, hi) - lo) / (hi - lo)).astype(np.float32)
    return normalise(slice_, modality)[0]


def anomaly_factor(spacing_mm: float) -> int:
    return max(1, round(ANOMALY_MM / spacing_mm)) if spacing_mm > 0 else 1


def start(seed: int) -> tuple[np.random.Generator, torch.Generator]:
    """Fixed seeds, every CPU core for torch, and the numpy and torch generators a trainer draws from."""
    seed_everything(seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    return np.random.default_rng(seed), torch.Generator().manual_seed(seed)


def train_for(minutes: float, opt: torch.optim.Optimizer, base_lr: float, loss_of_batch, tag: str, report=None) -> int:
    """Optimise `loss_of_batch()` (draws a batch, returns the loss tensor) until the time budget is spent, with a cosine
    learning-rate decay over the budget and a log line every two minutes (plus `report()` when given). Returns the
    step count."""
    import math
    import time
    budget = minutes * 60
    t0 = last = time.time()
    steps = 0
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        for g in opt.param_groups:
            g['lr'] = base_lr * 0.5 * (1 + math.cos(math.pi * frac))
        loss = loss_of_batch()
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps += 1
        if time.time() - last > 120:
            last = time.time()
            extra = f' {report()}' if report else ''
            print(f'[{tag}] {frac * 100:5.1f}% step {steps} loss {loss.item():.6f}{extra}', flush=True)
    print(f'[{tag}] done: {steps} steps in {(time.time() - t0) / 60:.1f} min', flush=True)
    return steps
