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
BUDGET_MINUTES = {'sr-x2': float(os.environ.get('LUCID_SR_MINUTES', 25))}
TRAINERS = {'sr-x2': 'train_sr.py'}


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
