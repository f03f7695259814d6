"""Train the anomaly detector on normal training slices only: a U-Net learns to remove coarse noise
(Gaussian noise drawn on a grid 1/16 of the patch and upsampled bilinearly; σ 0.2 in MR's normalised units, 0.05 for
CT, whose fixed HU map makes soft-tissue contrast small), L1 loss.

  /usr/bin/python3 models/training/train_anomaly.py --minutes 12 --out models/training/checkpoints/anomaly.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

from common import TRAIN, start, train_for
from nets import AnomalyDAE
from sr_data import SliceBank, random_patch


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
    ap.add_argument('--ct-sigma', type=float, default=0.05, help='coarse-noise SD for CT: 0.05 × 2048 ≈ 100 HU, the scale of lesion contrast')
    ap.add_argument('--lr', type=float, default=5e-4)
    args = ap.parse_args()
    rng, gen = start(2028)
    bank = SliceBank(TRAIN)
    model = AnomalyDAE(args.channels)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def loss_of_batch() -> torch.Tensor:
        modalities = ['CT' if k % 2 == 0 else 'MR' for k in range(args.batch)]
        clean = torch.from_numpy(np.stack([random_patch(rng, *bank.sample(rng, m), args.patch) for m in modalities])[:, None])
        sigma = torch.tensor([args.ct_sigma if m == 'CT' else args.sigma for m in modalities]).view(-1, 1, 1, 1)
        noisy = clean + coarse_noise(tuple(clean.shape), gen, 1.0) * sigma
        return F.l1_loss(model.reconstruct(noisy), clean)

    steps = train_for(args.minutes, opt, args.lr, loss_of_batch, 'anomaly')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': steps, 'sigma': args.sigma, 'ct_sigma': args.ct_sigma, 'minutes': args.minutes}, args.out)


if __name__ == '__main__':
    main()
