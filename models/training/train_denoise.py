"""Train the blind denoiser on real CT/MR slices with simulated noise at levels relative to each slice's own noise
(see degrade.py). Loss: each example's MSE divided by its added noise variance, so CT (noise of a few HU, tiny in
normalised units) counts as much as MR and every noise level counts alike.

  /usr/bin/python3 models/training/train_denoise.py --minutes 15 --out models/training/checkpoints/denoise.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

from common import TRAIN, VALIDATION, available, load_volume, normalise, start, tissue_slices, train_for
from degrade import TARGET_LEVELS, add_noise, estimate_noise, noisy
from metrics import psnr
from nets import Denoise
from sr_data import SliceBank, random_patch


_SIGMA0: dict[int, float] = {}


def sigma0(x: np.ndarray, modality: str) -> float:
    """The slice's own noise, estimated once per slice."""
    key = id(x)
    if key not in _SIGMA0:
        _SIGMA0[key] = estimate_noise(x, modality)
    return _SIGMA0[key]


def quick_eval(model: torch.nn.Module, every: int = 8) -> dict[str, float]:
    """Mean PSNR gain over the noisy input per modality and level on a subset of validation slices (normalised units)."""
    gains: dict[str, list[float]] = {}
    model.eval()
    for name in available(VALIDATION):
        vol = load_volume(name)
        for k, i in enumerate(tissue_slices(vol)[::every]):
            x, _ = normalise(vol.image[i], vol.modality)
            x = x[: x.shape[0] // 4 * 4, : x.shape[1] // 4 * 4]
            for li, level in enumerate(TARGET_LEVELS):
                n = noisy(x, vol.modality, level, seed=1000 * k + li)
                with torch.no_grad():
                    y = model(torch.from_numpy(n)[None, None])[0, 0].numpy()
                gains.setdefault(f'{vol.modality} {level}', []).append(psnr(x, y) - psnr(x, n))
    model.train()
    return {k: round(float(np.mean(v)), 2) for k, v in gains.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=15)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'denoise.pt'))
    ap.add_argument('--channels', type=int, default=32)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--ct-fraction', type=float, default=2 / 3, help='share of CT patches in a batch (CT is the harder case)')
    args = ap.parse_args()
    rng, gen = start(2027)
    bank = SliceBank(TRAIN)
    model = Denoise(args.channels)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n_ct = round(args.batch * args.ct_fraction)

    def loss_of_batch() -> torch.Tensor:
        clean_list, noisy_list, var = [], [], []
        for k in range(args.batch):
            modality = 'CT' if k < n_ct else 'MR'
            x, _ = bank.sample(rng, modality)
            p = torch.from_numpy(random_patch(rng, x, modality, args.patch))[None, None]
            # Added noise 0.8–4.5 × the slice's own noise, log-uniform: from just below ½ dose to beyond 1/16 dose
            # (evaluation: 1, 1.73, 2.65, 3.87), denser at the low end where the target is hardest to reach.
            sigma = float(np.exp(rng.uniform(np.log(0.8), np.log(4.5)))) * sigma0(x, modality)
            clean_list.append(p)
            noisy_list.append(add_noise(p, modality, sigma, gen))
            var.append(sigma * sigma)
        clean = torch.cat(clean_list)
        per_example = ((model(torch.cat(noisy_list)) - clean) ** 2).mean(dim=(1, 2, 3))
        return (per_example / torch.tensor(var)).mean()

    steps = train_for(args.minutes, opt, args.lr, loss_of_batch, 'denoise', lambda: f'gain dB {quick_eval(model)}')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': steps}, args.out)
    print(f'[denoise] gain dB over noisy on validation: {quick_eval(model, every=2)}', flush=True)


if __name__ == '__main__':
    main()
