"""Evaluate every shipped model on the validation subjects and write the numbers into models/metrics.json and
each models/<id>/MODEL_CARD.md (between the METRICS markers). No number is typed by hand.

  /usr/bin/python3 models/training/evaluate.py
"""
from __future__ import annotations

import json
import os
import re

import numpy as np
import torch
import torch.nn.functional as F

from common import REPO, TRAIN, VALIDATION, area_down2, available, denormalise, load_volume, normalise, tissue_slices
from degrade import DOSE_FRACTION, LEVELS, TARGET_LEVELS, noisy, reference_ceiling_db
from metrics import auprc, auroc, best_dice, psnr, ssim
import subprocess
import sys
import tempfile


def run_shipped(model_id: str, slices: list[tuple[str, np.ndarray]]) -> list[np.ndarray]:
    """Predictions of the shipped ONNX model through the app's own TypeScript pre/post code and onnxruntime-web."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in'), os.path.join(tmp, 'out')
        os.makedirs(src)
        for k, (modality, img) in enumerate(slices):
            np.save(os.path.join(src, f'{k:05d}_{modality}.npy'), img.astype(np.float32))
        subprocess.run(['npx', 'tsx', 'models/training/runOnnx.ts', model_id, src, dst], cwd=REPO, check=True)
        return [np.load(os.path.join(dst, f'{k:05d}.npy')) for k in range(len(slices))]


def eval_sr() -> dict:
    """PSNR/SSIM against the original after ×2 area downsampling, for the model, bicubic and nearest, per modality."""
    cases = []
    for name in available(VALIDATION):
        vol = load_volume(name)
        for i in tissue_slices(vol):
            s = vol.image[i]
            hr = s[: s.shape[0] // 2 * 2, : s.shape[1] // 2 * 2]
            cases.append((vol.modality, hr, area_down2(hr)))
    preds = run_shipped('sr-x2', [(m, lr) for m, _, lr in cases])
    rows: dict[str, dict[str, list[float]]] = {}
    for (modality, hr, lr), pred in zip(cases, preds):
        m = rows.setdefault(modality, {k: [] for k in ('model_psnr', 'model_ssim', 'bicubic_psnr', 'bicubic_ssim', 'nearest_psnr', 'nearest_ssim')})
        t = torch.from_numpy(lr)[None, None]
        bic = F.interpolate(t, scale_factor=2, mode='bicubic', align_corners=False)[0, 0].numpy()
        near = np.repeat(np.repeat(lr, 2, axis=0), 2, axis=1)
        for key, img in (('model', pred), ('bicubic', bic), ('nearest', near)):
            m[f'{key}_psnr'].append(psnr(hr, img))
            m[f'{key}_ssim'].append(ssim(hr, img))
    out = {}
    for modality, m in rows.items():
        out[modality] = {k: round(float(np.mean(v)), 4) for k, v in m.items()}
        out[modality]['slices'] = len(m['model_psnr'])
        out[modality]['gain_over_bicubic_db'] = round(out[modality]['model_psnr'] - out[modality]['bicubic_psnr'], 3)
    return out


def sr_table(r: dict) -> str:
    lines = ['| modality | slices | method | PSNR (dB) | SSIM |', '|---|---|---|---|---|']
    for modality, m in r.items():
        for key in ('model', 'bicubic', 'nearest'):
            lines.append(f"| {modality} | {m['slices']} | {key} | {m[f'{key}_psnr']:.2f} | {m[f'{key}_ssim']:.4f} |")
    gains = ', '.join(f"{k} {v['gain_over_bicubic_db']:+.2f} dB" for k, v in r.items())
    lines.append('')
    lines.append(f'Gain over bicubic: {gains} (targets: MR +2.0 dB, CT +4.0 dB).')
    return '\n'.join(lines)


def gaussian_filter(img: np.ndarray, sigma: float) -> np.ndarray:
    r = max(1, int(3 * sigma + 0.5))
    g = torch.exp(-(torch.arange(-r, r + 1, dtype=torch.float64) ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    t = torch.from_numpy(img.astype(np.float64))[None, None]
    t = F.conv2d(F.pad(t, (r, r, 0, 0), mode='reflect'), g.view(1, 1, 1, -1))
    t = F.conv2d(F.pad(t, (0, 0, r, r), mode='reflect'), g.view(1, 1, -1, 1))
    return t[0, 0].numpy()


SIGMAS = (0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0)


def noisy_cases(names: list[str], every: int = 1) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """(modality, level, clean, noisy) in modality units; noise is added in normalised units as in training."""
    out = []
    for name in available(names):
        vol = load_volume(name)
        for k, i in enumerate(tissue_slices(vol)[::every]):
            clean = vol.image[i]
            x, params = normalise(clean, vol.modality)
            for li, level in enumerate(LEVELS):
                out.append((vol.modality, level, clean, denormalise(noisy(x, vol.modality, level, seed=1000 * k + li), params)))
    return out


def tune_gaussian() -> dict[tuple[str, str], float]:
    """The classical baseline, tuned fairly: per modality and level, the σ with the best PSNR on training slices."""
    cases = noisy_cases([n for n in TRAIN if n in ('ct_chest_lidc0314', 'mr_t1_ixi013', 'mr_t1_colin27')], every=12)
    best = {}
    for modality in ('CT', 'MR'):
        for level in LEVELS:
            sub = [(c, n) for m, lv, c, n in cases if m == modality and lv == level]
            if sub:
                best[(modality, level)] = max(SIGMAS, key=lambda s: np.mean([psnr(c, gaussian_filter(n, s)) for c, n in sub]))
    return best


def eval_denoise() -> dict:
    sigmas = tune_gaussian()
    cases = noisy_cases(VALIDATION)
    preds = run_shipped('denoise', [(m, n) for m, _, _, n in cases])
    acc: dict[str, dict[str, dict[str, list[float]]]] = {}
    for (modality, level, clean, noisy_img), pred in zip(cases, preds):
        m = acc.setdefault(modality, {}).setdefault(level, {k: [] for k in ('model_psnr', 'model_ssim', 'noisy_psnr', 'noisy_ssim', 'gaussian_psnr', 'gaussian_ssim')})
        g = gaussian_filter(noisy_img, sigmas[(modality, level)])
        for key, img in (('model', pred), ('noisy', noisy_img), ('gaussian', g)):
            m[f'{key}_psnr'].append(psnr(clean, img))
            m[f'{key}_ssim'].append(ssim(clean, img))
    out: dict = {}
    for modality, levels in acc.items():
        for level, m in levels.items():
            r = {k: round(float(np.mean(v)), 4) for k, v in m.items()}
            r['slices'] = len(m['model_psnr'])
            r['gaussian_sigma_px'] = sigmas[(modality, level)]
            r['gain_over_noisy_db'] = round(r['model_psnr'] - r['noisy_psnr'], 3)
            r['gain_over_gaussian_db'] = round(r['model_psnr'] - r['gaussian_psnr'], 3)
            # Best gain possible against a reference that carries its own noise σ0: 10·log10(1 + (σ/σ0)²).
            r['noisy_reference_ceiling_db'] = round(reference_ceiling_db(level), 2)
            r['dose_fraction'] = DOSE_FRACTION[level]
            r['target_level'] = level in TARGET_LEVELS
            out.setdefault(modality, {})[level] = r
    return out


def denoise_table(r: dict) -> str:
    lines = ['| modality | dose | slices | model PSNR / SSIM | noisy PSNR / SSIM | Gaussian (σ px) PSNR / SSIM | gain over noisy (ceiling) |', '|---|---|---|---|---|---|---|']
    for modality, levels in r.items():
        for level, m in levels.items():
            dose = f"1/{round(1 / m['dose_fraction'])}" + ('' if m['target_level'] else ' (information)')
            lines.append(f"| {modality} | {dose} | {m['slices']} | {m['model_psnr']:.2f} / {m['model_ssim']:.4f} | {m['noisy_psnr']:.2f} / {m['noisy_ssim']:.4f} | "
                         f"({m['gaussian_sigma_px']}) {m['gaussian_psnr']:.2f} / {m['gaussian_ssim']:.4f} | {m['gain_over_noisy_db']:+.2f} ({m['noisy_reference_ceiling_db']:.1f}) dB |")
    lines.append('')
    lines.append('Gain over the noisy input / over the tuned Gaussian filter at the target levels (targets: ≥ +4 dB, > 0 dB): ' + '; '.join(
        f"{mod} 1/{round(1 / m['dose_fraction'])} dose {m['gain_over_noisy_db']:+.2f} / {m['gain_over_gaussian_db']:+.2f} dB"
        for mod, lvs in r.items() for lv, m in lvs.items() if m['target_level']) + '.')
    return '\n'.join(lines)


def lesion_pool() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Validation slices with lesions (every second slice, 1–3 lesions) or none, made by the app's TS generator."""
    slices = []
    for name in available(VALIDATION):
        vol = load_volume(name)
        for i in tissue_slices(vol):
            slices.append((vol.modality, vol.image[i], vol.spacing[1], vol.spacing[2]))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in'), os.path.join(tmp, 'out')
        os.makedirs(src)
        for k, (modality, img, sr, sc) in enumerate(slices):
            np.save(os.path.join(src, f'{k:05d}_{modality}_{sr:.4f}_{sc:.4f}.npy'), img.astype(np.float32))
        subprocess.run(['npx', 'tsx', 'models/training/lesionCases.ts', src, dst], cwd=REPO, check=True)
        return [(m, np.load(os.path.join(dst, f'{k:05d}_{m}.npy')), np.load(os.path.join(dst, f'{k:05d}_mask.npy')))
                for k, (m, _, _, _) in enumerate(slices)]


def eval_anomaly() -> dict:
    pool = lesion_pool()
    scores = run_shipped('anomaly', [(m, img) for m, img, _ in pool])
    out = {}
    for modality in ('MR', 'CT'):
        idx = [k for k, (m, _, _) in enumerate(pool) if m == modality]
        if not idx:
            continue
        labels = np.concatenate([pool[k][2].ravel() for k in idx]).astype(np.uint8)
        model = np.concatenate([scores[k].ravel() for k in idx])
        base = np.concatenate([normalise(pool[k][1], modality)[0].ravel() for k in idx])
        slice_labels = np.array([pool[k][2].any() for k in idx], dtype=np.uint8)
        r = {'slices': len(idx), 'slices_with_lesions': int(slice_labels.sum()), 'lesion_pixels': int(labels.sum()),
             'chance_auprc': round(float(labels.mean()), 5)}
        for key, sc, per_slice in (('model', model, [scores[k].max() for k in idx]),
                                   ('threshold', base, [normalise(pool[k][1], modality)[0].max() for k in idx])):
            r[f'{key}_auprc'] = round(auprc(sc, labels), 4)
            r[f'{key}_best_dice'] = round(best_dice(sc, labels), 4)
            r[f'{key}_slice_auroc'] = round(auroc(np.array(per_slice), slice_labels), 4)
        r['auprc_ratio_over_threshold'] = round(r['model_auprc'] / max(r['threshold_auprc'], 1e-9), 3)
        # The app's default box threshold: the 99.9th percentile of scores on the lesion-free slices of the pool.
        normal = np.concatenate([scores[k].ravel() for k in idx if not pool[k][2].any()])
        r['operating_threshold'] = round(float(np.percentile(normal, 99.9)), 4)
        out[modality] = r
    with open(os.path.join(REPO, 'models', 'anomaly', 'thresholds.json'), 'w') as f:
        json.dump({m: out[m]['operating_threshold'] for m in ('CT', 'MR') if m in out}, f)
        f.write('\n')
    return out


def anomaly_table(r: dict) -> str:
    lines = ['| modality | slices (with lesions) | method | pixel AUPRC | best Dice | slice AUROC |', '|---|---|---|---|---|---|']
    for modality, m in r.items():
        lines.append(f"| {modality} | {m['slices']} ({m['slices_with_lesions']}) | model | {m['model_auprc']:.4f} | {m['model_best_dice']:.4f} | {m['model_slice_auroc']:.4f} |")
        lines.append(f"| {modality} | {m['slices']} ({m['slices_with_lesions']}) | intensity threshold | {m['threshold_auprc']:.4f} | {m['threshold_best_dice']:.4f} | {m['threshold_slice_auroc']:.4f} |")
        lines.append(f"| {modality} | | chance (lesion-pixel prevalence) | {m['chance_auprc']:.5f} | | 0.5 |")
    lines.append('')
    lines.append('Model AUPRC ÷ threshold AUPRC (target > 1, aiming at 1.5): ' + ', '.join(f"{k} {v['auprc_ratio_over_threshold']:.2f}×" for k, v in r.items()) + '.')
    lines.append('')
    lines.append('Default box threshold in the app and CLI (99.9th percentile of scores on the lesion-free validation slices, '
                 '`models/anomaly/thresholds.json`): ' + ', '.join(f"{k} {v['operating_threshold']:.4f}" for k, v in r.items()) + '.')
    return '\n'.join(lines)


def write_card(model_id: str, table: str) -> None:
    path = os.path.join(REPO, 'models', model_id, 'MODEL_CARD.md')
    text = open(path).read()
    block = f'<!-- METRICS:BEGIN (written by models/training/evaluate.py) -->\n{table}\n<!-- METRICS:END -->'
    text = re.sub(r'<!-- METRICS:BEGIN.*?<!-- METRICS:END -->', lambda _: block, text, flags=re.S)
    meta = json.load(open(os.path.join(REPO, 'models', model_id, 'model.json')))
    text = re.sub(r'<!-- META:BEGIN.*?<!-- META:END -->', lambda _: (
        '<!-- META:BEGIN (written by models/training/evaluate.py) -->\n'
        f"- sha256: `{meta['sha256']}`\n- size: {meta['bytes']} bytes, {meta['parameters']} parameters\n"
        + (f"- compute: {meta['flopsPer512Input'] / 1e9:.1f} GFLOPs for a 512 × 512 input (→ 1024 × 1024), "
           f"{meta['flopsPer256Input'] / 1e9:.1f} GFLOPs for a 256 × 256 input (→ 512 × 512 output)\n" if model_id == 'sr-x2'
           else f"- compute: {meta['flopsPer512Input'] / 1e9:.1f} GFLOPs for a 512 × 512 slice\n")
        + f"- ONNX opset {meta['opset']}, dynamic height and width; training steps: {meta['trainingSteps']}\n"
        + '<!-- META:END -->'), text, flags=re.S)
    open(path, 'w').write(text)


EVALUATORS = {
    'sr-x2': (eval_sr, sr_table),
    'denoise': (eval_denoise, denoise_table),
    'anomaly': (eval_anomaly, anomaly_table),
}


def main() -> None:
    """Evaluate the models named on the command line (default: every model that has a model.onnx)."""
    path = os.path.join(REPO, 'models', 'metrics.json')
    results = json.load(open(path)) if os.path.exists(path) else {}
    wanted = sys.argv[1:] or list(EVALUATORS)
    for model_id in wanted:
        if not os.path.exists(os.path.join(REPO, 'models', model_id, 'model.onnx')):
            continue
        evaluate, table = EVALUATORS[model_id]
        results[model_id] = evaluate()
        write_card(model_id, table(results[model_id]))
    results['validation_subjects'] = available(VALIDATION)
    with open(path, 'w') as f:
        json.dump(results, f, indent=1)
        f.write('\n')
    print(json.dumps({k: results[k] for k in wanted if k in results}, indent=1))


if __name__ == '__main__':
    main()
