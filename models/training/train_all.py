"""Train and export every shipped model with fixed seeds and time budgets (one command: npm run models:train).

Budgets (minutes, 2-core CPU) add up to at most 60. Each step: train → export ONNX + golden files + model.json.
Then run `npm run models:eval` to write the metrics into models/metrics.json and the model cards.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CKPT = os.path.join(HERE, 'checkpoints')
# Minutes per model (sum ≤ 60 on this 2-core machine); LUCID_<ID>_MINUTES overrides, e.g. for a quick smoke run.
BUDGET_MINUTES = {
    model_id: float(os.environ.get(f"LUCID_{model_id.upper().replace('-', '_')}_MINUTES", default))
    for model_id, default in (('denoise', 14), ('sr-x2', 32), ('anomaly', 12))
}
TRAINERS = {'denoise': 'train_denoise.py', 'sr-x2': 'train_sr.py', 'anomaly': 'train_anomaly.py'}


def run(args: list[str]) -> None:
    print('$', ' '.join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=HERE, check=True)


def main() -> None:
    t0 = time.time()
    only = sys.argv[1:] or list(TRAINERS)
    for model_id in only:
        ckpt = os.path.join(CKPT, f'{model_id}.pt')
        run([TRAINERS[model_id], '--minutes', str(BUDGET_MINUTES[model_id]), '--out', ckpt])
        run(['export.py', model_id, ckpt])
    print(f'trained {", ".join(only)} in {(time.time() - t0) / 60:.1f} min', flush=True)


if __name__ == '__main__':
    main()
