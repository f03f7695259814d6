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

from common import REPO, VALIDATION, area_down2, available, load_volume, tissue_slices
from metrics import psnr, ssim
import subprocess
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


def write_card(model_id: str, table: str) -> None:
    path = os.path.join(REPO, 'models', model_id, 'MODEL_CARD.md')
    text = open(path).read()
    block = f'<!-- METRICS:BEGIN (written by models/training/evaluate.py) -->\n{table}\n<!-- METRICS:END -->'
    text = re.sub(r'<!-- METRICS:BEGIN.*?<!-- METRICS:END -->', lambda _: block, text, flags=re.S)
    meta = json.load(open(os.path.join(REPO, 'models', model_id, 'model.json')))
    text = re.sub(r'<!-- META:BEGIN.*?<!-- META:END -->', lambda _: (
        '<!-- META:BEGIN (written by models/training/evaluate.py) -->\n'
        f"- sha256: `{meta['sha256']}`\n- size: {meta['bytes']} bytes, {meta['parameters']} parameters\n"
        f"- compute: {meta['flopsPer512Input'] / 1e9:.1f} GFLOPs for a 512 × 512 input (→ 1024 × 1024), "
        f"{meta['flopsPer256Input'] / 1e9:.1f} GFLOPs for a 256 × 256 input (→ 512 × 512 output)\n"
        f"- ONNX opset {meta['opset']}, dynamic height and width; training steps: {meta['trainingSteps']}\n"
        '<!-- META:END -->'), text, flags=re.S)
    open(path, 'w').write(text)


def main() -> None:
    results = {}
    sr_path = os.path.join(REPO, 'models', 'sr-x2', 'model.onnx')
    if os.path.exists(sr_path):
        results['sr-x2'] = eval_sr()
        write_card('sr-x2', sr_table(results['sr-x2']))
    results['validation_subjects'] = available(VALIDATION)
    with open(os.path.join(REPO, 'models', 'metrics.json'), 'w') as f:
        json.dump(results, f, indent=1)
        f.write('\n')
    print(json.dumps(results, indent=1))


if __name__ == '__main__':
    main()
