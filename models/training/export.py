"""Export trained checkpoints to ONNX (opset 17, dynamic height/width), with golden input/output pairs and a
model.json (sha256, size, parameters, FLOPs) that models/catalog.ts reads.

  /usr/bin/python3 models/training/export.py sr-x2 models/training/checkpoints/sr-x2.pt
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch

from common import REPO, anomaly_normalise, available, load_volume, normalise, tissue_slices, VALIDATION
from degrade import DENOISE_CENTRE, denoise_scale
from nets import AnomalySeg, Denoise, SRx2, count_params, conv_flops

OPSET = 17


def build(model_id: str, ckpt: dict) -> torch.nn.Module:
    if model_id == 'sr-x2':
        m = SRx2(ckpt['channels'], ckpt['blocks'])
    elif model_id == 'denoise':
        m = Denoise(ckpt['channels'])
    elif model_id == 'anomaly':
        if ckpt.get('method') != 'foreign-patch':
            raise SystemExit('anomaly checkpoint is not a foreign-patch model (train_anomaly.py)')
        m = AnomalySeg(ckpt['channels'])
    else:
        raise SystemExit(f'unknown model {model_id}')
    m.load_state_dict(ckpt['state'])
    return m.eval()


def golden_input(h: int, w: int, window: bool = False) -> np.ndarray:
    """A real validation crop (normalised CT; `window`: in the anomaly model's soft-tissue window), so golden outputs
    exercise realistic values; zeros if data is absent."""
    names = available([n for n in VALIDATION if n.startswith('ct')])
    if not names:
        return np.zeros((1, 1, h, w), np.float32)
    vol = load_volume(names[0])
    s = vol.image[tissue_slices(vol)[len(tissue_slices(vol)) // 2]]
    x = anomaly_normalise(s, vol.modality) if window else normalise(s, vol.modality)[0]
    r, c = x.shape[0] // 2 - h // 2, x.shape[1] // 2 - w // 2
    return np.ascontiguousarray(x[r:r + h, c:c + w])[None, None].astype(np.float32)


def main(model_id: str, ckpt_path: str) -> None:
    ckpt = torch.load(ckpt_path, map_location='cpu')
    model = build(model_id, ckpt)
    out_dir = os.path.join(REPO, 'models', model_id)
    os.makedirs(os.path.join(out_dir, 'golden'), exist_ok=True)
    path = os.path.join(out_dir, 'model.onnx')
    dummy = torch.zeros(1, 1, 32, 32)
    torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {2: 'height', 3: 'width'}, 'output': {2: 'out_height', 3: 'out_width'}},
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    # Golden pair: an odd-sized realistic input, so dynamic shapes are exercised too.
    x = golden_input(37, 29) if model_id == 'sr-x2' else golden_input(36, 28, model_id == 'anomaly')  # denoise/anomaly: multiples of 4
    if model_id == 'denoise':
        # The denoiser reads the slice in units of its estimated noise (degrade.denoise_scale), as the app feeds it.
        x = ((x - DENOISE_CENTRE) / denoise_scale(x[0, 0], 'CT')).astype(np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy()
    np.save(os.path.join(out_dir, 'golden', 'input.npy'), x)
    np.save(os.path.join(out_dir, 'golden', 'output.npy'), y.astype(np.float32))
    data = open(path, 'rb').read()
    meta = {
        'id': model_id,
        'file': 'model.onnx',
        'sha256': hashlib.sha256(data).hexdigest(),
        'bytes': len(data),
        'opset': OPSET,
        'parameters': count_params(model),
        # anomaly screens a 512² slice of 0.53–1.07 mm pixels at half resolution (working_mm 1.6): its cost per slice.
        'flopsPer512Input': conv_flops(model, 256, 256) if model_id == 'anomaly' else conv_flops(model, 512, 512),
        'flopsPer256Input': conv_flops(model, 256, 256),
        'trainingSteps': ckpt.get('steps'),
        'architecture': {k: v for k, v in ckpt.items() if k not in ('state',)},
    }
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(meta, f, indent=1)
        f.write('\n')
    print(json.dumps({k: meta[k] for k in ('id', 'sha256', 'bytes', 'parameters', 'flopsPer512Input')}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
