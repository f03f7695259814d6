"""Train the ×2 super-resolution model (sr-x2) on real CT/MR slices; L1 loss in normalised units.

  /usr/bin/python3 models/training/train_sr.py --minutes 25 --out models/training/checkpoints/sr-x2.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F

from common import TRAIN, area_down2, denormalise, normalise, start, train_for
from metrics import psnr
from nets import SRx2, SRx2Fast
from sr_data import SliceBank, batch, validation_slices


def sr_infer(model: torch.nn.Module, lr_values: np.ndarray, modality: str) -> np.ndarray:
    """Modality-unit LR slice → modality-unit HR prediction (the same steps as preprocess/postprocess.ts)."""
    x, params = normalise(lr_values, modality)
    with torch.no_grad():
        y = model(torch.from_numpy(x)[None, None])[0, 0].numpy()
    return denormalise(y, params)


def quick_eval(model: torch.nn.Module, slices: list[tuple[str, np.ndarray]]) -> dict[str, float]:
    gains: dict[str, list[float]] = {'CT': [], 'MR': []}
    model.eval()
    for modality, s in slices:
        h, w = s.shape[0] // 2 * 2, s.shape[1] // 2 * 2
        hr = s[:h, :w]
        lr = area_down2(hr)
        pred = sr_infer(model, lr, modality)
        bic = F.interpolate(torch.from_numpy(lr)[None, None], scale_factor=2, mode='bicubic', align_corners=False)[0, 0].numpy()
        gains[modality].append(psnr(hr, pred) - psnr(hr, bic))
    model.train()
    return {k: float(np.mean(v)) for k, v in gains.items() if v}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=25)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'sr-x2.pt'))
    ap.add_argument('--channels', type=int, default=48)
    ap.add_argument('--blocks', type=int, default=8)
    ap.add_argument('--arch', choices=['sr', 'fast'], default='sr', help='fast: residual on the 2×2-folded slice')
    ap.add_argument('--fold', type=int, default=2, help='fast: LR pixels folded into channels per side')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--ct-fraction', type=float, default=0.45, help='share of CT patches in a batch')
    ap.add_argument('--ixi-fraction', type=float, default=0.8, help='share of IXI-style slices among MR patches')
    ap.add_argument('--tries', type=int, default=2, help='patches drawn per example; the most detailed is kept')
    args = ap.parse_args()
    rng, _ = start(2026)
    bank = SliceBank(TRAIN, args.ixi_fraction, all_axes=True)
    val = validation_slices()
    val_small = val[:: max(1, len(val) // 24)]
    model = SRx2Fast(args.channels, args.blocks, args.fold) if args.arch == 'fast' else SRx2(args.channels, args.blocks)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def loss_of_batch() -> torch.Tensor:
        lr_np, hr_np = batch(bank, rng, args.batch, args.patch, args.ct_fraction, args.tries)
        return F.l1_loss(model(torch.from_numpy(lr_np)), torch.from_numpy(hr_np))

    step_count = train_for(args.minutes, opt, args.lr, loss_of_batch, 'sr-x2', lambda: f'gain dB {quick_eval(model, val_small)}')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'arch': args.arch, 'fold': args.fold, 'channels': args.channels, 'blocks': args.blocks, 'steps': step_count,
                'minutes': args.minutes, 'ct_fraction': args.ct_fraction, 'ixi_fraction': args.ixi_fraction, 'tries': args.tries}, args.out)
    print(f'[sr-x2] gain dB on validation: {quick_eval(model, val)}', flush=True)


if __name__ == '__main__':
    main()
