"""denoise: PSNR/SSIM on the validation subjects per modality × noise texture × dose level, for the shipped model
against the noisy input and three classical filters a user would compare with (Gaussian, bilateral, non-local means;
scikit-image), each tuned per modality, texture and level on training slices.

Fair to the filters, if anything generous: they are given the true noise SD of the slice (σ_total = √(σ0² + σ²),
σ0 the slice's own noise and σ the added noise, both in normalised units) and their parameters are multiples of it,
while the model is blind. The multipliers come from a grid search (TUNE_GRID) on TUNE_SLICES, never on validation.
"""
from __future__ import annotations

import itertools

import numpy as np
import torch
import torch.nn.functional as F
from skimage.restoration import denoise_bilateral, denoise_nl_means

from common import VALIDATION, available, denormalise, load_volume, normalise, tissue_slices
from degrade import DOSE_FRACTION, LEVELS, TARGET_LEVELS, TEXTURES, estimate_noise, noisy, reference_ceiling_db, relative_sigma
from metrics import psnr, ssim
from shipped import run_shipped

# Every `n`-th tissue slice of each validation subject (evaluation time: the filters run on every case).
VALIDATION_EVERY = {'CT': 3, 'MR': 4}
# Training slices the filters are tuned on: (volume, how many, evenly spaced over its tissue slices); CT uses the
# central 256 × 256 crop to keep the grid search short.
TUNE_SLICES = {'CT': (('ct_chest_lidc0314', 3),), 'MR': (('mr_t1_ixi013', 2), ('mr_t1_colin27', 1))}
TUNE_CROP = 256
TUNE_GRID = {
    'gaussian': {'sigma_px': (0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)},
    # sigma_color = colour × σ_total; sigma_spatial in px (window 2⌈3σ⌉ + 1, at least 5).
    'bilateral': {'colour': (0.5, 0.75, 1.0, 1.5, 2.0), 'spatial_px': (1.0, 1.5, 2.5, 3.5)},
    # h = h × σ_total, sigma = σ_total (fast mode, which subtracts the expected patch distance 2σ²), search window 13².
    'nlm': {'h': (0.25, 0.4, 0.6, 0.8, 1.0, 1.3), 'patch': (5, 7)},
}
FILTERS = tuple(TUNE_GRID)


def gaussian_filter(img: np.ndarray, sigma: float) -> np.ndarray:
    r = max(1, int(3 * sigma + 0.5))
    g = torch.exp(-(torch.arange(-r, r + 1, dtype=torch.float64) ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    t = torch.from_numpy(img.astype(np.float64))[None, None]
    t = F.conv2d(F.pad(t, (r, r, 0, 0), mode='reflect'), g.view(1, 1, 1, -1))
    t = F.conv2d(F.pad(t, (0, 0, r, r), mode='reflect'), g.view(1, 1, -1, 1))
    return t[0, 0].numpy()


def run_filter(name: str, x: np.ndarray, sd: float, p: dict) -> np.ndarray:
    """One classical filter on a normalised slice `x` with noise SD `sd` (normalised units)."""
    if name == 'gaussian':
        return gaussian_filter(x, p['sigma_px'])
    if name == 'bilateral':
        return denoise_bilateral(x.astype(np.float64), sigma_color=p['colour'] * sd, sigma_spatial=p['spatial_px'])
    return denoise_nl_means(x.astype(np.float64), h=p['h'] * sd, sigma=sd, patch_size=p['patch'], patch_distance=6,
                            fast_mode=True)


def grid(name: str) -> list[dict]:
    keys = list(TUNE_GRID[name])
    return [dict(zip(keys, v)) for v in itertools.product(*(TUNE_GRID[name][k] for k in keys))]


def case(x: np.ndarray, modality: str, texture: str, level: str, seed: int) -> tuple[np.ndarray, float]:
    """(noisy normalised slice, its total noise SD σ_total)."""
    s0 = estimate_noise(x, modality)
    return noisy(x, modality, level, seed, texture), s0 * float(np.sqrt(1 + relative_sigma(level) ** 2))


def tune() -> dict[tuple[str, str, str, str], dict]:
    """Best parameters (mean PSNR over TUNE_SLICES) per (modality, texture, level, filter)."""
    best = {}
    for modality, volumes in TUNE_SLICES.items():
        slices = []
        for name, n in volumes:
            if not available([name]):
                continue
            vol = load_volume(name)
            idx = tissue_slices(vol)
            for i in idx[len(idx) // (n + 1)::len(idx) // (n + 1)][:n]:
                x = normalise(vol.image[i], modality)[0]
                r, c = max(0, (x.shape[0] - TUNE_CROP) // 2), max(0, (x.shape[1] - TUNE_CROP) // 2)
                slices.append(np.ascontiguousarray(x[r:r + TUNE_CROP, c:c + TUNE_CROP]))
        for ti, texture in enumerate(TEXTURES[modality]):
            for li, level in enumerate(LEVELS):
                cases = [(x, *case(x, modality, texture, level, 7000 + 100 * k + 10 * ti + li)) for k, x in enumerate(slices)]
                for f in FILTERS:
                    best[(modality, texture, level, f)] = max(grid(f), key=lambda p: np.mean(
                        [psnr(x, run_filter(f, n, sd, p)) for x, n, sd in cases]))
    return best


def validation_cases() -> list[dict]:
    out = []
    for name in available(VALIDATION):
        vol = load_volume(name)
        for k, i in enumerate(tissue_slices(vol)[::VALIDATION_EVERY[vol.modality]]):
            clean = vol.image[i]
            x, params = normalise(clean, vol.modality)
            for ti, texture in enumerate(TEXTURES[vol.modality]):
                for li, level in enumerate(LEVELS):
                    n, sd = case(x, vol.modality, texture, level, 1000 * k + 10 * ti + li)
                    out.append({'modality': vol.modality, 'texture': texture, 'level': level, 'clean': clean,
                                'x': n, 'sd': sd, 'params': params, 'noisy': denormalise(n, params)})
    return out


def eval_denoise() -> dict:
    params = tune()
    cases = validation_cases()
    preds = run_shipped('denoise', [(c['modality'], c['noisy']) for c in cases])
    acc: dict[tuple[str, str, str], dict[str, list[float]]] = {}
    for c, pred in zip(cases, preds):
        key = (c['modality'], c['texture'], c['level'])
        m = acc.setdefault(key, {})
        outputs = [('model', pred), ('noisy', c['noisy'])] + [
            (f, denormalise(run_filter(f, c['x'], c['sd'], params[(*key, f)]), c['params'])) for f in FILTERS]
        for method, img in outputs:
            m.setdefault(f'{method}_psnr', []).append(psnr(c['clean'], img))
            m.setdefault(f'{method}_ssim', []).append(ssim(c['clean'], img))
    out: dict = {}
    for (modality, texture, level), m in acc.items():
        r = {k: round(float(np.mean(v)), 4) for k, v in m.items()}
        r['slices'] = len(m['model_psnr'])
        for f in ('noisy', *FILTERS):
            r[f'gain_over_{f}_db'] = round(r['model_psnr'] - r[f'{f}_psnr'], 3)
        r['filter_params'] = {f: params[(modality, texture, level, f)] for f in FILTERS}
        # Best gain possible against a reference that carries its own noise σ0: 10·log10(1 + (σ/σ0)²).
        r['noisy_reference_ceiling_db'] = round(reference_ceiling_db(level), 2)
        r['dose_fraction'] = DOSE_FRACTION[level]
        r['target_level'] = level in TARGET_LEVELS
        out.setdefault(modality, {}).setdefault(texture, {})[level] = r
    out['protocol'] = {'validation_every_nth_tissue_slice': VALIDATION_EVERY, 'tune_slices': TUNE_SLICES,
                       'tune_crop_px': TUNE_CROP, 'tune_grid': TUNE_GRID, 'textures': TEXTURES}
    return out


def _fmt_params(f: str, p: dict) -> str:
    return {'gaussian': lambda: f"σ {p['sigma_px']}", 'bilateral': lambda: f"{p['colour']}σ, {p['spatial_px']} px",
            'nlm': lambda: f"h {p['h']}σ, {p['patch']}²"}[f]()


def denoise_table(r: dict) -> str:
    lines = ['| modality | texture | dose | slices | model PSNR / SSIM | noisy | Gaussian | bilateral | NLM | model − noisy (ceiling) | model − best filter |',
             '|---|---|---|---|---|---|---|---|---|---|---|']
    fails, gains = [], []
    for modality in ('MR', 'CT'):
        for texture, levels in r.get(modality, {}).items():
            for level, m in levels.items():
                dose = f"1/{round(1 / m['dose_fraction'])}" + ('' if m['target_level'] else ' (info)')
                cells = [f"{m[f'{f}_psnr']:.2f} / {m[f'{f}_ssim']:.3f}" + ('' if f == 'noisy' else f" ({_fmt_params(f, m['filter_params'][f])})")
                         for f in ('noisy', *FILTERS)]
                best = min(m['gain_over_bilateral_db'], m['gain_over_nlm_db'], m['gain_over_gaussian_db'])
                lines.append(f"| {modality} | {texture} | {dose} | {m['slices']} | {m['model_psnr']:.2f} / {m['model_ssim']:.3f} | {' | '.join(cells)} | "
                             f"{m['gain_over_noisy_db']:+.2f} ({m['noisy_reference_ceiling_db']:.1f}) | {best:+.2f} |")
                for f in ('bilateral', 'nlm'):
                    if m[f'gain_over_{f}_db'] <= 0:
                        fails.append(f"{modality} {texture} {dose} vs {f} {m[f'gain_over_{f}_db']:+.2f} dB")
                if m['target_level']:
                    gains.append((m['gain_over_noisy_db'], f'{modality} {texture} {dose}'))
    n = sum(len(levels) for mod in ('MR', 'CT') for levels in r.get(mod, {}).values())
    lo = min(gains) if gains else (float('nan'), '')
    lines += ['', 'Cells: PSNR (dB) / SSIM, and the filter parameters chosen on training slices (σ = the true noise SD '
              'of the slice, given to the filters, not to the model). Summary against the targets: model above tuned '
              f"bilateral and NLM in {n - len({f.split(' vs ')[0] for f in fails})} of {n} modality/texture/level cases"
              + (f" (not in: {'; '.join(fails)})" if fails else '') + f"; smallest gain over noisy at ¼–1/16 dose "
              f"(target ≥ +4 dB): {lo[0]:+.2f} dB ({lo[1]}), {sum(g >= 4 for g, _ in gains)} of {len(gains)} cases reach it."]
    return '\n'.join(lines)
