"""Train the blind denoiser on real CT/MR slices with simulated noise at levels relative to each slice's own noise
(see degrade.py), MSE loss.

  /usr/bin/python3 models/training/train_denoise.py --minutes 15 --out models/training/checkpoints/denoise.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

from common import TRAIN, seed_everything, train_for
from degrade import add_noise, estimate_noise
from nets import Denoise
from sr_data import SliceBank, random_patch


_SIGMA0: dict[int, float] = {}


def sigma0(x: np.ndarray, modality: str) -> float:
    """The slice's own noise, estimated once per slice."""
    key = id(x)
    if key not in _SIGMA0:
        _SIGMA0[key] = estimate_noise(x, modality)
    return _SIGMA0[key]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=15)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'denoise.pt'))
    ap.add_argument('--channels', type=int, default=32)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--lr', type=float, default=5e-4)
    args = ap.parse_args()
    seed_everything(2027)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    rng = np.random.default_rng(2027)
    gen = torch.Generator().manual_seed(2027)
    bank = SliceBank(TRAIN)
    model = Denoise(args.channels)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    half = args.batch // 2

    def step() -> float:
        clean_list, noisy_list = [], []
        for k in range(args.batch):
            modality = 'CT' if k < half else 'MR'
            x, _ = bank.sample(rng, modality)
            p = torch.from_numpy(random_patch(rng, x, modality, args.patch))[None, None]
            # Added noise 0.5–3.5 × the slice's own noise: spans ½ to beyond ⅛ dose (evaluation: 1, 1.73, 2.65).
            sigma = float(rng.uniform(0.5, 3.5)) * sigma0(x, modality)
            clean_list.append(p)
            noisy_list.append(add_noise(p, modality, sigma, gen))
        clean = torch.cat(clean_list)
        loss = F.mse_loss(model(torch.cat(noisy_list)), clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    steps = train_for(args.minutes, opt, args.lr, step, 'denoise')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': steps}, args.out)


if __name__ == '__main__':
    main()
