"""Evaluate every shipped model on the validation subjects and write the numbers into models/metrics.json and
each models/<id>/MODEL_CARD.md (between the METRICS markers). No number is typed by hand.

  /usr/bin/python3 models/training/evaluate.py [sr-x2|denoise|anomaly …]

Each model's evaluation lives in eval_<model>.py (sr-x2 here); this file runs them and writes the results.
"""
from __future__ import annotations

import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

from common import REPO, VALIDATION, area_down2, available, load_volume, tissue_slices
from eval_anomaly import anomaly_table, eval_anomaly
from eval_denoise import denoise_table, eval_denoise
from metrics import psnr, ssim
from shipped import run_shipped


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
           else f"- compute: {meta['flopsPer512Input'] / 1e9:.1f} GFLOPs for a 512 × 512 slice at 0.53–1.07 mm per pixel "
                f"(screened at 256 × 256, about {meta['architecture']['working_mm']} mm per pixel)\n" if model_id == 'anomaly'
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
    # Read again before writing: another evaluator (another model) may have written its part meanwhile.
    latest = json.load(open(path)) if os.path.exists(path) else {}
    latest.update({k: results[k] for k in wanted if k in results})
    latest['validation_subjects'] = results['validation_subjects']
    with open(path, 'w') as f:
        json.dump(latest, f, indent=1)
        f.write('\n')
    print(json.dumps({k: results[k] for k in wanted if k in results}, indent=1))


if __name__ == '__main__':
    main()
