"""anomaly: lesions of three designs in the validation subjects, scored through the app's own code.

Every second tissue slice of each validation volume stays lesion-free; the others get 1–3 lesions of each design in
turn (one pool per design, the same slices): `app` (the app's own teaching generator,
src/teaching/syntheticLesions.ts), and `mass` and `patch` (models/training/lesion_designs.py, written apart from both
the app's generator and training). Training (train_anomaly.py) blends real tissue of other training slices into normal
slices: `app` and `mass` share nothing with it; `patch` (real tissue of another subject, blended in) shares its idea,
so it is the design training comes closest to, and the other two are the held-out test of generalisation. Per modality
and design: pixel AUPRC against chance and the intensity-threshold baseline, slice AUROC, and at the default threshold
the share of lesion slices with a lesion among the top-3 boxes. False boxes per lesion-free slice are measured at a
threshold calibrated on other lesion-free slices (two folds).

The default threshold (models/anomaly/thresholds.json) is the lowest at which the lesion-free validation slices have at
most one box per ten slices; the region score's reference (`reference`) is the peak score of lesion-free regions.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile

import numpy as np
from scipy import ndimage

from common import REPO, TRAIN, VALIDATION, available, load_volume, normalise, tissue_slices
from lesion_designs import DESIGNS, PatchSource, make_lesion
from metrics import auprc, auroc
from shipped import run_shipped

MIN_PIXELS = 4  # as scoreBoxes in models/anomaly/postprocess.ts
FALSE_BOXES_PER_SLICE = 0.1


def app_lesions(slices: list[tuple[str, np.ndarray, tuple[float, float]]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The app's own generator (through lesionCases.ts) on every slice: odd indices get lesions, even ones none."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in'), os.path.join(tmp, 'out')
        os.makedirs(src)
        for k, (modality, img, (sr, sc)) in enumerate(slices):
            np.save(os.path.join(src, f'{k:05d}_{modality}_{sr:.4f}_{sc:.4f}.npy'), img.astype(np.float32))
        subprocess.run(['npx', 'tsx', 'models/training/lesionCases.ts', src, dst], cwd=REPO, check=True)
        return [(np.load(os.path.join(dst, f'{k:05d}_{m}.npy')), np.load(os.path.join(dst, f'{k:05d}_mask.npy')).astype(bool))
                for k, (m, _, _) in enumerate(slices)]


def regions(score: np.ndarray, threshold: float) -> list[tuple[float, np.ndarray]]:
    """4-connected regions ≥ threshold of at least MIN_PIXELS, as (peak, pixel mask), highest peak first."""
    lab, n = ndimage.label(score >= threshold)
    out = []
    if n:
        sizes = ndimage.sum(np.ones_like(score), lab, range(1, n + 1))
        peaks = ndimage.maximum(score, lab, range(1, n + 1))
        out = [(float(peaks[i]), lab == i + 1) for i in range(n) if sizes[i] >= MIN_PIXELS]
    return sorted(out, key=lambda x: -x[0])


def count_boxes(scores: list[np.ndarray], threshold: float) -> int:
    return sum(len(regions(s, threshold)) for s in scores)


def calibrate(scores: list[np.ndarray]) -> float:
    """The lowest threshold (bisection) at which these lesion-free slices have ≤ FALSE_BOXES_PER_SLICE boxes each."""
    allowed = FALSE_BOXES_PER_SLICE * len(scores)
    lo, hi = float(np.percentile(np.concatenate([s.ravel() for s in scores]), 99)), max(float(s.max()) for s in scores) + 1e-6
    for _ in range(24):
        mid = 0.5 * (lo + hi)
        if count_boxes(scores, mid) <= allowed:
            hi = mid
        else:
            lo = mid
    return hi


def eval_anomaly() -> dict:
    slices, names = [], []
    for name in available(VALIDATION):
        vol = load_volume(name)
        for i in tissue_slices(vol):
            slices.append((vol.modality, vol.image[i], (float(vol.spacing[1]), float(vol.spacing[2]))))
            names.append(name)
    normal_idx = [k for k in range(len(slices)) if k % 2 == 0]
    lesion_idx = [k for k in range(len(slices)) if k % 2 == 1]
    app = app_lesions(slices)
    source = PatchSource(TRAIN)
    cases: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {'app': [app[k] for k in lesion_idx]}
    for design in DESIGNS:
        cases[design] = [make_lesion(design, slices[k][1], slices[k][0], slices[k][2], 7919 * k + 31 + 101 * DESIGNS.index(design), source)
                         for k in lesion_idx]
    # One run through the app's code for every image: the lesion-free slices, then each design's lesion slices.
    images = [(slices[k][0], slices[k][1]) for k in normal_idx]
    spacing = [slices[k][2] for k in normal_idx]
    for design in cases:
        images += [(slices[k][0], img) for k, (img, _) in zip(lesion_idx, cases[design])]
        spacing += [slices[k][2] for k in lesion_idx]
    scores = run_shipped('anomaly', images, spacing)
    normal_scores = dict(zip(normal_idx, scores[:len(normal_idx)]))
    design_scores, at = {}, len(normal_idx)
    for design in cases:
        design_scores[design] = dict(zip(lesion_idx, scores[at:at + len(lesion_idx)]))
        at += len(lesion_idx)

    out: dict = {}
    thresholds = {}
    for modality in ('MR', 'CT'):
        normals = [k for k in normal_idx if slices[k][0] == modality]
        lesions = [k for k in lesion_idx if slices[k][0] == modality]
        if not normals or not lesions:
            continue
        threshold = calibrate([normal_scores[k] for k in normals])
        thresholds[modality] = threshold
        # False boxes at a threshold calibrated on the other half of the lesion-free slices (alternating slices).
        folds = [normals[0::2], normals[1::2]]
        held_out_boxes = [count_boxes([normal_scores[k] for k in folds[1 - f]], calibrate([normal_scores[k] for k in folds[f]])) for f in (0, 1)]
        r: dict = {'lesion_free_slices': len(normals), 'lesion_slices': len(lesions), 'operating_threshold': round(threshold, 4),
                   'false_boxes_per_lesion_free_slice': round(sum(held_out_boxes) / len(normals), 3),
                   'false_boxes_at_operating_threshold_per_slice': round(count_boxes([normal_scores[k] for k in normals], threshold) / len(normals), 3)}
        for design in cases:
            masks = [cases[design][lesion_idx.index(k)][1] for k in lesions]
            imgs = [cases[design][lesion_idx.index(k)][0] for k in lesions]
            keep = [j for j, m in enumerate(masks) if m.any()]
            labels = np.concatenate([masks[j].ravel() for j in keep] + [np.zeros(slices[k][1].size, bool) for k in normals]).astype(np.uint8)
            model = np.concatenate([design_scores[design][lesions[j]].ravel() for j in keep] + [normal_scores[k].ravel() for k in normals])
            base = np.concatenate([normalise(imgs[j], modality)[0].ravel() for j in keep] + [normalise(slices[k][1], modality)[0].ravel() for k in normals])
            slice_labels = np.array([1] * len(keep) + [0] * len(normals), dtype=np.uint8)
            model_max = [design_scores[design][lesions[j]].max() for j in keep] + [normal_scores[k].max() for k in normals]
            base_max = [normalise(imgs[j], modality)[0].max() for j in keep] + [normalise(slices[k][1], modality)[0].max() for k in normals]
            # Each lesion (connected part of the mask) found at the default threshold, split by whether it is brighter
            # or darker than the tissue it replaced (mean change).
            found: dict[str, list[bool]] = {'bright': [], 'dark': []}
            for j in keep:
                parts, n_parts = ndimage.label(masks[j])
                for p in range(1, n_parts + 1):
                    m = parts == p
                    side = 'bright' if float((imgs[j][m] - slices[lesions[j]][1][m]).mean()) > 0 else 'dark'
                    found[side].append(bool(design_scores[design][lesions[j]][m].max() >= threshold))
            hits = 0
            for j in keep:
                top = regions(design_scores[design][lesions[j]], threshold)[:3]
                hits += any((m & masks[j]).any() for _, m in top)
            chance = float(labels.mean())
            model_auprc, base_auprc = auprc(model, labels), auprc(base, labels)
            r[design] = {
                'lesion_slices': len(keep), 'lesion_pixels': int(labels.sum()), 'chance_auprc': round(chance, 5),
                'model_auprc': round(model_auprc, 4), 'threshold_auprc': round(base_auprc, 4),
                'auprc_over_chance': round(model_auprc / max(chance, 1e-9), 2),
                'auprc_over_threshold': round(model_auprc / max(base_auprc, 1e-9), 2),
                'model_slice_auroc': round(auroc(np.array(model_max), slice_labels), 4),
                'threshold_slice_auroc': round(auroc(np.array(base_max), slice_labels), 4),
                'top3_hit_rate': round(hits / max(len(keep), 1), 3),
                **{f'{side}_lesions': len(v) for side, v in found.items()},
                **{f'{side}_found_rate': round(sum(v) / max(len(v), 1), 3) for side, v in found.items()},
            }
        out[modality] = r
    with open(os.path.join(REPO, 'models', 'anomaly', 'thresholds.json'), 'w') as f:
        json.dump({m: round(thresholds[m], 4) for m in ('CT', 'MR') if m in thresholds}, f)
        f.write('\n')
    return out


def anomaly_table(r: dict) -> str:
    lines = ['| modality | lesion design | lesion slices | pixel AUPRC: model | intensity threshold | chance | model ÷ chance | model ÷ threshold | slice AUROC (model / threshold) | lesion in top-3 boxes |',
             '|---|---|---|---|---|---|---|---|---|---|']
    for modality, m in r.items():
        for design in ('app', *DESIGNS):
            d = m[design]
            lines.append(f"| {modality} | {design} | {d['lesion_slices']} | {d['model_auprc']:.4f} | {d['threshold_auprc']:.4f} | {d['chance_auprc']:.5f} | "
                         f"{d['auprc_over_chance']:.1f}× | {d['auprc_over_threshold']:.1f}× | {d['model_slice_auroc']:.3f} / {d['threshold_slice_auroc']:.3f} | {d['top3_hit_rate'] * 100:.0f} % |")
    lines.append('')
    lines.append('Targets: AUPRC ≥ 10× chance and ≥ 3× the threshold baseline; a lesion among the top-3 boxes on ≥ 60 % of lesion slices; '
                 '≤ 0.1 false boxes per lesion-free slice.')
    lines.append('')
    lines.append('Lesions reaching the default threshold, brighter / darker than the tissue they replaced: '
                 + '; '.join(f"{modality} {design} {m[design]['bright_found_rate'] * 100:.0f} % of {m[design]['bright_lesions']} / "
                             f"{m[design]['dark_found_rate'] * 100:.0f} % of {m[design]['dark_lesions']}"
                             for modality, m in r.items() for design in ('app', *DESIGNS)) + '.')
    lines.append('')
    lines.append('False boxes per lesion-free slice, at a threshold calibrated on the other half of the lesion-free slices (two folds): '
                 + ', '.join(f"{k} {v['false_boxes_per_lesion_free_slice']:.2f} ({v['lesion_free_slices']} slices)" for k, v in r.items()) + '.')
    lines.append('')
    lines.append('Default box threshold in the app and CLI (the lowest at which all lesion-free validation slices have ≤ 0.1 boxes each, '
                 '`models/anomaly/thresholds.json`): ' + ', '.join(f"{k} {v['operating_threshold']:.4f}" for k, v in r.items()) + '.')
    return '\n'.join(lines)
