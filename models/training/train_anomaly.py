"""Train the anomaly detector on normal training slices only, self-supervised with foreign patches (after FPI, Tan et
al. 2020, and NSA, Schlüter et al. 2022, the idea behind MOOD challenge winners): a patch of another normal slice
(or of the same slice elsewhere), flipped, rotated, rescaled, sometimes smoothed and sometimes shifted in intensity, is
blended into a normal slice through an irregular soft-edged blob; the net learns to predict, per pixel, how much the
slice was changed there (|changed − original| smoothed, ÷ 0.1, clipped to 1: the NSA idea that an invisible change
is no anomaly). A quarter of the patches are left unchanged. Binary cross-entropy on the logits.

No lesion of any evaluation design is shown: the blended content is always real tissue of a training subject. (The
evaluation's `patch` design is close to this idea and is reported as such; `app` and `mass` are not.)

It works at about ANOMALY_MM (1.6 mm) per pixel: every slice is area-downsampled by round(1.6 / pixel spacing) before
patches are drawn, as the app does before screening (models/anomaly/preprocess.ts), and CT is read in its soft-tissue
window (common.anomaly_normalise).

  /usr/bin/python3 models/training/train_anomaly.py --minutes 12 --out models/training/checkpoints/anomaly.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from common import ANOMALY_CT_WINDOW, ANOMALY_MM, TRAIN, start, train_for
from nets import AnomalySeg
from sr_data import SliceBank, random_crops


ANOMALY_EXTRA_TRAIN = ['ct_head_invesalius_cranium']
CHANGE_UNIT = 0.1  # a change of 0.1 (60 HU in the CT window, 10 % of the MR range) counts fully
CLEAN_FRACTION = 0.25
BLUR_FRACTION = 0.5  # foreign patches smoothed (Gaussian σ 1–3 px): homogeneous real tissue, not only textured


def body(x: np.ndarray, modality: str) -> np.ndarray:
    """Where a training anomaly may be centred: tissue (CT above −250 HU, MR above 10 % of its range), holes filled."""
    return ndimage.binary_fill_holes(x > (0.0 if modality == 'CT' else 0.1))


def soft_blob(size: int, centre: np.ndarray, radius: float, rng: np.random.Generator) -> np.ndarray:
    """An irregular blob (random ellipse, boundary modulated by harmonics 2–5) with a soft edge, values in [0, 1]."""
    rr, cc = np.mgrid[0:size, 0:size].astype(np.float32)
    a = rng.uniform(0, np.pi)
    dr, dc = rr - centre[0], cc - centre[1]
    u, v = dr * np.cos(a) + dc * np.sin(a), -dr * np.sin(a) + dc * np.cos(a)
    e = rng.uniform(0.5, 1.0)
    rho, theta = np.hypot(u, v / e), np.arctan2(v, u)
    edge = np.ones_like(theta)
    for k in range(2, 6):
        edge += rng.uniform(0, 0.25 / k) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    width = rng.uniform(0.1, 0.5) * radius + 0.5
    return np.clip((radius * edge - rho) / width + 0.5, 0, 1).astype(np.float32)


def foreign(rng: np.random.Generator, bank: SliceBank, dest: np.ndarray, modality: str, size: int) -> np.ndarray:
    """A size × size patch of real tissue to blend in: from another slice (¾) or this one, rescaled 0.6–1.6×, in ½ of
    cases smoothed (BLUR_FRACTION) and in ½ shifted in intensity."""
    src = bank.sample(rng, modality)[0] if rng.random() < 0.75 else dest
    zoom = float(np.exp(rng.uniform(np.log(0.6), np.log(1.6))))
    need = int(np.ceil(size / zoom)) + 2
    (p,) = random_crops(rng, [src], need)
    p = ndimage.zoom(p, zoom, order=1)[:size, :size]
    if p.shape != (size, size):
        p = np.pad(p, ((0, size - p.shape[0]), (0, size - p.shape[1])), mode='edge')
    if rng.random() < BLUR_FRACTION:
        p = ndimage.gaussian_filter(p, rng.uniform(1.0, 3.0))
    if rng.random() < 0.5:
        p = p * rng.uniform(0.7, 1.3) + rng.uniform(-0.2, 0.2)
    return p.astype(np.float32)


def synthesise(rng: np.random.Generator, bank: SliceBank, x: np.ndarray, region: np.ndarray, full: np.ndarray, modality: str) -> tuple[np.ndarray, np.ndarray]:
    """x with 1–3 foreign patches blended in, and the per-pixel target (how much it changed, in CHANGE_UNITs, ≤ 1)."""
    size = x.shape[0]
    out = x.copy()
    where = np.argwhere(region)
    for _ in range(int(rng.integers(1, 4))):
        radius = float(np.exp(rng.uniform(np.log(1.5), np.log(14))))
        centre = where[rng.integers(len(where))] if len(where) else rng.uniform(0, size, 2)
        alpha = soft_blob(size, centre, radius, rng) * rng.uniform(0.4, 1.0)
        out = out * (1 - alpha) + foreign(rng, bank, full, modality, size) * alpha
    changed = ndimage.gaussian_filter(np.abs(out - x), 1.0)
    return out, np.clip(changed / CHANGE_UNIT, 0, 1).astype(np.float32)


def make_batch(rng: np.random.Generator, bank: SliceBank, n: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    xs, ys = [], []
    for k in range(n):
        modality = 'CT' if k % 2 == 0 else 'MR'
        full = bank.sample(rng, modality)[0]
        x, region = random_crops(rng, [full, body(full, modality).astype(np.float32)], size)
        if rng.random() < CLEAN_FRACTION:
            xs.append(x)
            ys.append(np.zeros_like(x))
            continue
        y_x, y = synthesise(rng, bank, x, region > 0.5, full, modality)
        xs.append(y_x)
        ys.append(y)
    return torch.from_numpy(np.stack(xs)[:, None]), torch.from_numpy(np.stack(ys)[:, None])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=12)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'anomaly.pt'))
    ap.add_argument('--channels', type=int, default=16)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=2028)
    args = ap.parse_args()
    rng, _ = start(args.seed)
    # The head CT adds CT anatomy other than the chest (anomaly only; validation has none of it).
    bank = SliceBank(TRAIN + ANOMALY_EXTRA_TRAIN, anomaly_scale=True)
    model = AnomalySeg(args.channels)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def loss_of_batch() -> torch.Tensor:
        x, y = make_batch(rng, bank, args.batch, args.patch)
        return F.binary_cross_entropy_with_logits(model.logits(x), y)

    steps = train_for(args.minutes, opt, args.lr, loss_of_batch, 'anomaly')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'method': 'foreign-patch', 'channels': args.channels, 'steps': steps, 'minutes': args.minutes,
                'working_mm': ANOMALY_MM, 'ct_window_hu': list(ANOMALY_CT_WINDOW), 'change_unit': CHANGE_UNIT, 'blur_fraction': BLUR_FRACTION, 'patch': args.patch, 'seed': args.seed}, args.out)


if __name__ == '__main__':
    main()
