"""Running a shipped model through the app's own code, shared by the evaluators."""
from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np

from common import REPO


def run_shipped(model_id: str, slices: list[tuple[str, np.ndarray]], spacing: list[tuple[float, float]] | None = None) -> list[np.ndarray]:
    """Predictions of the shipped ONNX model through the app's own TypeScript pre/post code and onnxruntime-web
    (`spacing`: each slice's in-plane pixel spacing in mm, passed on as the DICOM Pixel Spacing would be)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in'), os.path.join(tmp, 'out')
        os.makedirs(src)
        for k, (modality, img) in enumerate(slices):
            tail = f'_{spacing[k][0]:.4f}_{spacing[k][1]:.4f}' if spacing else ''
            np.save(os.path.join(src, f'{k:05d}_{modality}{tail}.npy'), img.astype(np.float32))
        subprocess.run(['npx', 'tsx', 'models/training/runOnnx.ts', model_id, src, dst], cwd=REPO, check=True)
        return [np.load(os.path.join(dst, f'{k:05d}.npy')) for k in range(len(slices))]
