"""Train the blind denoiser on real CT/MR slices with simulated noise of a texture and level drawn per patch (see
degrade.py): CT white or correlated Gaussian, MR Rician, white or correlated Gaussian; correlated noise with a blur σ
drawn from 0.5–1.4 px (evaluated: 0.7 and 1.2); added noise 0.8–4.5 × the slice's own.
The net reads each input in units of its own estimated noise (degrade.denoise_scale: the noise level is estimated in
front of the net, from the noisy image itself: on the whole MR slice, as the app does, or on a CT crop larger than
the patch), so it only has to tell the texture. Before this (issue 16), the shipped model knew one texture per modality
(CT correlated, MR Rician) and lost to tuned filters on the others; a blind model without the scaling, trained 20
minutes on one thread (800 steps), lost the Rician gain.
Loss: each example's MSE divided by its added noise variance, so CT (noise of a few HU, tiny in normalised units)
counts as much as MR and every noise level counts alike.

  /usr/bin/python3 models/training/train_denoise.py --minutes 14 --out models/training/checkpoints/denoise.pt
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch

from common import CT_MAX, CT_OFFSET, CT_SCALE, TRAIN, VALIDATION, available, load_volume, mr_range, normalise, start, tissue_slices, train_for
from degrade import DENOISE_CENTRE, TEXTURES, add_noise, denoise_scale, estimate_noise, noisy
from metrics import psnr
from nets import Denoise
from sr_data import SliceBank, random_crops


_SIGMA0: dict[int, float] = {}


def sigma0(x: np.ndarray, modality: str) -> float:
    """The slice's own noise, estimated once per slice."""
    key = id(x)
    if key not in _SIGMA0:
        _SIGMA0[key] = estimate_noise(x, modality)
    return _SIGMA0[key]


def as_app_reads(n: np.ndarray, modality: str) -> tuple[np.ndarray, float, float]:
    """A noisy slice in the clean slice's normalised units as the app normalises it (common.normalise on modality
    values): CT clipped to the HU map's range (air at −1024 HU), MR normalised again by its own 1st and 99th
    percentiles (common.mr_range). Returns it with the (lo, span) of that MR normalisation (0, 1 for CT)."""
    if modality == 'CT':
        return np.clip(n, 0.0, (CT_MAX + CT_OFFSET) / CT_SCALE), 0.0, 1.0
    lo, hi = mr_range(n)
    return (n - lo) / (hi - lo), lo, hi - lo


def denoise_with(model: torch.nn.Module, n: np.ndarray, modality: str) -> np.ndarray:
    """The app's path in PyTorch for a noisy slice in the clean slice's normalised units: as the app reads it
    (as_app_reads), scaled by the estimated noise (degrade.denoise_scale), run, and mapped back (without the app's CT
    post-processing)."""
    n, lo, span = as_app_reads(n, modality)
    s = denoise_scale(n, modality)
    u = torch.from_numpy((n - DENOISE_CENTRE) / s)[None, None].float()
    with torch.no_grad():
        return (model(u)[0, 0].numpy() * s + DENOISE_CENTRE) * span + lo


def quick_eval(model: torch.nn.Module, every: int = 16, levels: tuple[str, ...] = ('quarter', 'sixteenth')) -> dict[str, float]:
    """Mean PSNR gain over the noisy input per modality, texture and level on a subset of validation slices
    (normalised units)."""
    gains: dict[str, list[float]] = {}
    model.eval()
    for name in available(VALIDATION):
        vol = load_volume(name)
        for k, i in enumerate(tissue_slices(vol)[::every]):
            x, _ = normalise(vol.image[i], vol.modality)
            x = x[: x.shape[0] // 4 * 4, : x.shape[1] // 4 * 4]
            for ti, texture in enumerate(TEXTURES[vol.modality]):
                for level in levels:
                    n = noisy(x, vol.modality, level, seed=1000 * k + ti, texture=texture)
                    gains.setdefault(f'{vol.modality} {texture} {level}', []).append(psnr(x, denoise_with(model, n, vol.modality)) - psnr(x, n))
    model.train()
    return {k: round(float(np.mean(v)), 2) for k, v in gains.items()}


def draw_texture(rng: np.random.Generator, modality: str) -> tuple[str, float | None]:
    """(texture, blur px) of one training patch: CT ⅓ white, ⅔ correlated; MR ⅓ Rician, ⅓ white, ⅓ correlated.
    Correlated noise gets a blur σ uniform in 0.5–1.4 px, around and between the evaluated 0.7 and 1.2."""
    u = rng.random()
    if modality == 'MR' and u < 1 / 3:
        return 'rician', None
    if u < (2 / 3 if modality == 'MR' else 1 / 3):
        return 'white', None
    return 'corr', float(rng.uniform(0.5, 1.4))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=15)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'checkpoints', 'denoise.pt'))
    ap.add_argument('--channels', type=int, default=32)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--patch', type=int, default=96)
    ap.add_argument('--context', type=int, default=256, help='side of the CT crop the noise level is estimated on')
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--ct-fraction', type=float, default=0.6, help='share of CT patches in a batch (0.5 left CT corr-0.7 0.1–0.2 dB further behind NLM, MR no better)')
    ap.add_argument('--threads', type=int, default=0, help='torch CPU threads (default: every core)')
    args = ap.parse_args()
    rng, gen = start(2027)
    if args.threads:
        torch.set_num_threads(args.threads)
    bank = SliceBank(TRAIN)
    model = Denoise(args.channels)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n_ct = round(args.batch * args.ct_fraction)
    def example(modality: str) -> tuple[np.ndarray, np.ndarray, float]:
        """(clean, noisy, added σ) of one patch, each in the units the network reads. The noisy slice goes through
        what the app does to it (as_app_reads; real CT clips air at −1024 HU too); the noise level is then estimated on
        the whole MR slice, or on a CT crop of `context` pixels (CT's normalisation does not depend on the rest of the
        slice)."""
        x, _ = bank.sample(rng, modality)
        # Added noise 0.8–4.5 × the slice's own noise, log-uniform: from just below ½ dose to beyond 1/16 dose
        # (evaluation: 1, 1.73, 2.65, 3.87), denser at the low end where the target is hardest to reach.
        sigma = float(np.exp(rng.uniform(np.log(0.8), np.log(4.5)))) * sigma0(x, modality)
        if modality == 'CT' and min(x.shape) > args.context:
            r, c = rng.integers(x.shape[0] - args.context + 1), rng.integers(x.shape[1] - args.context + 1)
            x = x[r:r + args.context, c:c + args.context]
        texture, blur = draw_texture(rng, modality)
        n = add_noise(torch.from_numpy(np.ascontiguousarray(x))[None, None], modality, sigma, gen, texture, blur)[0, 0].numpy()
        n, lo, span = as_app_reads(n, modality)
        clean, sigma = (x - lo) / span, sigma / span
        s = denoise_scale(n, modality)
        c, m = random_crops(rng, [clean, n], args.patch)
        return (c - DENOISE_CENTRE) / s, (m - DENOISE_CENTRE) / s, sigma / s

    def loss_of_batch() -> torch.Tensor:
        examples = [example('CT' if k < n_ct else 'MR') for k in range(args.batch)]
        clean = torch.from_numpy(np.stack([e[0] for e in examples])[:, None]).float()
        noisy_in = torch.from_numpy(np.stack([e[1] for e in examples])[:, None]).float()
        # Each example's error in units of its added noise variance.
        weight = torch.tensor([1 / e[2] ** 2 for e in examples], dtype=torch.float32)
        per_example = ((model(noisy_in) - clean) ** 2).mean(dim=(1, 2, 3))
        return (per_example * weight).mean()

    steps = train_for(args.minutes, opt, args.lr, loss_of_batch, 'denoise', lambda: f'gain dB {quick_eval(model)}')
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({'state': model.state_dict(), 'channels': args.channels, 'steps': steps, 'input': 'noise-scaled'}, args.out)
    print(f'[denoise] gain dB over noisy on validation: {quick_eval(model, every=4, levels=("half", "quarter", "eighth", "sixteenth"))}', flush=True)


if __name__ == '__main__':
    main()
