"""Train the anomaly detector on normal training slices only: a U-Net learns to remove coarse noise
(Gaussian noise drawn on a grid 1/16 of the patch and upsampled bilinearly; σ 0.2 in MR's normalised units and in
CT's soft-tissue window, common.anomaly_normalise, where it is 120 HU), L1 loss.

It works at about ANOMALY_MM (1.6 mm) per pixel: every slice is area-downsampled by round(1.6 / pixel spacing) before
patches are drawn, as the app does before screening (models/anomaly/preprocess.ts). At a fixed physical scale the
coarse noise and the 96-pixel patch mean the same anatomy size on every scanner (at full resolution a 0.43 mm MR and a
2 mm MR gave the net two different tasks), and a 512² CT slice costs a quarter of the compute.

  /usr/bin/python3 models/training/train_anomaly.py --minutes 12 --out models/training/checkpoints/anomaly.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

from common import ANOMALY_CT_WINDOW, ANOMALY_MM, TRAIN, start, train_for
from nets import AnomalyDAE
from sr_data import SliceBank, random_patch


ANOMALY_EXTRA_TRAIN = ['ct_head_invesalius_cranium']


def coarse_noise(shape: tuple[int, int, int, int], gen: torch.Generator, sigma: float, grid: int = 16) -> torch.Tensor:
    n, c, h, w = shape
    small = torch.randn((n, c, max(1, h // grid), max(1, w // grid)), generator=gen) * sigma
    return F.interpolate(small, size=(h, w), mode='bilinear', align_corners=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=12)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'anomaly.pt'))
    ap.add_argument('--channels', type=int, default=32)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--sigma', type=float, default=0.2, help='coarse-noise SD for MR (normalised p1–p99 units)')
    ap.add_argument('--ct-sigma', type=float, default=0.2, help='coarse-noise SD for CT in its soft-tissue window: 0.2 × 600 = 120 HU, the scale of lesion contrast')
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--highpass', type=float, default=8.0, help='σ (working pixels) of the broad residual taken away before scoring (nets.AnomalyDAE)')
    args = ap.parse_args()
    rng, gen = start(2028)
    # The head CT adds CT anatomy other than the chest (anomaly only; validation has none of it).
    bank = SliceBank(TRAIN + ANOMALY_EXTRA_TRAIN, anomaly_scale=True)
    model = AnomalyDAE(args.channels, args.highpass)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def loss_of_batch() -> torch.Tensor:
        modalities = ['CT' if k % 2 == 0 else 'MR' for k in range(args.batch)]
        clean = torch.from_numpy(np.stack([random_patch(rng, *bank.sample(rng, m), args.patch) for m in modalities])[:, None])
        sigma = torch.tensor([args.ct_sigma if m == 'CT' else args.sigma for m in modalities]).view(-1, 1, 1, 1)
        noisy = clean + coarse_noise(tuple(clean.shape), gen, 1.0) * sigma
        return F.l1_loss(model.reconstruct(noisy), clean)

    steps = train_for(args.minutes, opt, args.lr, loss_of_batch, 'anomaly')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': steps, 'sigma': args.sigma, 'ct_sigma': args.ct_sigma, 'minutes': args.minutes, 'working_mm': ANOMALY_MM, 'ct_window_hu': list(ANOMALY_CT_WINDOW), 'highpass': args.highpass}, args.out)


if __name__ == '__main__':
    main()
