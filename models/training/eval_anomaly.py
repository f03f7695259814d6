"""anomaly: synthetic lesions in the validation subjects; pixel AUPRC, Dice and slice AUROC against baselines."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile

import numpy as np

from common import REPO, VALIDATION, available, load_volume, normalise, tissue_slices
from metrics import auprc, auroc, best_dice
from shipped import run_shipped


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
