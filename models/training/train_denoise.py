"""Train the blind denoiser on real CT/MR slices with simulated noise at continuously varying levels (MSE loss).

  /usr/bin/python3 models/training/train_denoise.py --minutes 15 --out models/training/checkpoints/denoise.pt
"""
from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import TRAIN, seed_everything
from degrade import add_ct_noise, add_rician_noise
from nets import Denoise
from sr_data import SliceBank, random_patch


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
    budget = args.minutes * 60
    t0 = time.time()
    step, last = 0, t0
    half = args.batch // 2
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        for g in opt.param_groups:
            g['lr'] = args.lr * 0.5 * (1 + math.cos(math.pi * frac))
        ct = torch.from_numpy(np.stack([random_patch(rng, *bank.sample(rng, 'CT'), args.patch) for _ in range(half)])[:, None])
        mr = torch.from_numpy(np.stack([random_patch(rng, *bank.sample(rng, 'MR'), args.patch) for _ in range(args.batch - half)])[:, None])
        # Noise levels span the evaluation levels and a little beyond (CT 5–50 HU, MR 1–10 % of p99).
        ct_noisy = add_ct_noise(ct, torch.empty(half).uniform_(5, 50, generator=gen), gen)
        mr_noisy = add_rician_noise(mr, torch.empty(args.batch - half).uniform_(0.01, 0.10, generator=gen), gen)
        clean = torch.cat([ct, mr])
        loss = F.mse_loss(model(torch.cat([ct_noisy, mr_noisy])), clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if time.time() - last > 120:
            last = time.time()
            print(f'[denoise] {frac * 100:5.1f}% step {step} loss {loss.item():.6f}', flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': step}, args.out)
    print(f'[denoise] done: {step} steps in {(time.time() - t0) / 60:.1f} min', flush=True)


if __name__ == '__main__':
    main()
