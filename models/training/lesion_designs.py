"""Two lesion designs for the anomaly evaluation that share no code or idea with the app's own generator
(src/teaching/syntheticLesions.ts), written apart from training too (train_anomaly.py blends real tissue of other
training slices in, the idea `patch` shares; `mass` shares nothing with it):

- `mass`: a smooth intensity-shifted region with mass effect. An irregular blob (radius 4–15 mm, boundary modulated by
  harmonics 2–4), brighter or darker than the tissue under it by 40–140 HU (CT) or 15–45 % of the slice's p1–p99 range
  (MR), with a smooth low-frequency texture inside, and the tissue around it pushed outwards (a radial warp).
- `patch`: natural tissue from another subject: a blob-shaped patch of a training-subject slice of the same modality,
  resampled to this slice's pixel spacing (MR intensities matched by percentiles), alpha-blended in. A placement is kept
  only where the patch visibly differs from what it covers.

Both place lesions inside the body or brain (a disk of the lesion's radius must fit in the tissue mask). Each returns
the image and the lesion mask (the blob's inner half-alpha region).
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from common import available, load_volume, mr_range, tissue_slices

DESIGNS = ('mass', 'patch')


def tissue_mask(img: np.ndarray, modality: str) -> np.ndarray:
    """Body (CT: > −400 HU, holes filled) or head (MR: > 10 % of p99, holes filled), the largest component."""
    raw = img > -400 if modality == 'CT' else img > 0.1 * np.percentile(img, 99)
    lab, n = ndimage.label(ndimage.binary_opening(raw, iterations=2))
    if n == 0:
        return raw
    big = lab == (1 + int(np.argmax(ndimage.sum(raw, lab, range(1, n + 1)))))
    return ndimage.binary_fill_holes(big)


def blob(shape: tuple[int, int], centre: tuple[float, float], radius_px: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Soft alpha (1 inside, 0 outside, a smooth edge of ¼ radius) of an irregular blob, and each pixel's distance and
    angle from the centre."""
    rr, cc = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    dr, dc = rr - centre[0], cc - centre[1]
    rho, theta = np.hypot(dr, dc), np.arctan2(dr, dc)
    edge = np.ones_like(theta)
    for k in (2, 3, 4):
        edge += rng.uniform(0, 0.12) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    R = radius_px * edge
    t = np.clip((R - rho) / (0.25 * radius_px) + 0.5, 0, 1)
    return t * t * (3 - 2 * t), rho, theta


def pick_centre(mask: np.ndarray, radius_px: float, rng: np.random.Generator, taken: np.ndarray) -> tuple[int, int] | None:
    room = ndimage.distance_transform_edt(mask & ~taken)
    ok = np.argwhere(room > radius_px * 1.3)
    if len(ok) == 0:
        return None
    r, c = ok[rng.integers(len(ok))]
    return int(r), int(c)


def smooth_noise(shape: tuple[int, int], scale_px: float, rng: np.random.Generator) -> np.ndarray:
    n = ndimage.gaussian_filter(rng.standard_normal(shape).astype(np.float32), max(1.0, scale_px))
    return n / (n.std() + 1e-6)


def add_mass(img: np.ndarray, modality: str, spacing: tuple[float, float], rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    out, mask = img.astype(np.float32).copy(), np.zeros(img.shape, bool)
    body = tissue_mask(img, modality)
    lo, hi = mr_range(img) if modality == 'MR' else (0.0, 1.0)
    mm = float(min(spacing))
    for _ in range(count):
        radius = rng.uniform(4, 15) / mm
        centre = pick_centre(body, radius, rng, mask)
        if centre is None:
            continue
        alpha, rho, _ = blob(img.shape, centre, radius, rng)
        # Mass effect: tissue within ~2 radii is pushed outwards (each pixel samples from nearer the centre).
        push = rng.uniform(0.2, 0.45) * radius * np.exp(-np.maximum(rho - radius, 0) / radius) * np.minimum(rho / radius, 1)
        scale = np.where(rho > 1e-3, np.maximum(rho - push, 0) / np.maximum(rho, 1e-3), 1.0)
        rr, cc = np.mgrid[0:img.shape[0], 0:img.shape[1]].astype(np.float32)
        src_r = centre[0] + (rr - centre[0]) * scale
        src_c = centre[1] + (cc - centre[1]) * scale
        out = ndimage.map_coordinates(out, [src_r, src_c], order=1, mode='nearest').astype(np.float32)
        sign = rng.choice([-1.0, 1.0])
        delta = rng.uniform(40, 140) if modality == 'CT' else rng.uniform(0.15, 0.45) * (hi - lo)
        texture = 1 + 0.25 * smooth_noise(img.shape, radius / 3, rng)
        out = out + alpha * sign * delta * texture
        mask |= alpha > 0.5
    return out, mask


class PatchSource:
    """Tissue slices of the training subjects, by modality, with their pixel spacing: where `patch` lesions come from."""

    def __init__(self, names: list[str]) -> None:
        self.slices: dict[str, list[tuple[np.ndarray, float]]] = {'CT': [], 'MR': []}
        for name in available(names):
            vol = load_volume(name)
            idx = tissue_slices(vol)
            for i in idx[len(idx) // 6: len(idx) - len(idx) // 6: 3]:  # the middle of the volume, every third slice
                self.slices[vol.modality].append((vol.image[i], float(min(vol.spacing[1], vol.spacing[2]))))

    def patch(self, modality: str, size_px: int, mm: float, rng: np.random.Generator) -> np.ndarray | None:
        """A size_px² patch of tissue from a random source slice, resampled to `mm` per pixel."""
        for _ in range(20):
            src, src_mm = self.slices[modality][rng.integers(len(self.slices[modality]))]
            zoomed = ndimage.zoom(src, src_mm / mm, order=1) if abs(src_mm - mm) > 1e-3 else src
            if zoomed.shape[0] <= size_px or zoomed.shape[1] <= size_px:
                continue
            body = tissue_mask(zoomed, modality)
            room = ndimage.distance_transform_edt(body)
            ok = np.argwhere(room > size_px / 2)
            if len(ok) == 0:
                continue
            r, c = ok[rng.integers(len(ok))]
            r0, c0 = int(r) - size_px // 2, int(c) - size_px // 2
            if r0 < 0 or c0 < 0 or r0 + size_px > zoomed.shape[0] or c0 + size_px > zoomed.shape[1]:
                continue
            return zoomed[r0:r0 + size_px, c0:c0 + size_px].astype(np.float32)
        return None


def add_patch(img: np.ndarray, modality: str, spacing: tuple[float, float], rng: np.random.Generator, count: int, source: PatchSource) -> tuple[np.ndarray, np.ndarray]:
    out, mask = img.astype(np.float32).copy(), np.zeros(img.shape, bool)
    body = tissue_mask(img, modality)
    mm = float(min(spacing))
    lo, hi = mr_range(img) if modality == 'MR' else (0.0, 1.0)
    visible = 50.0 if modality == 'CT' else 0.12 * (hi - lo)
    placed = tries = 0
    while placed < count and tries < 12:
        tries += 1
        radius = rng.uniform(4, 15) / mm
        centre = pick_centre(body, radius, rng, mask)
        size = int(2 * radius * 1.4) + 2
        p = source.patch(modality, size, mm, rng)
        if centre is None or p is None:
            continue
        if modality == 'MR':  # the other subject's intensities onto this slice's scale (p1–p99 matched)
            plo, phi = np.percentile(p, [1, 99])
            p = lo + (p - plo) / max(phi - plo, 1e-6) * (hi - lo)
        canvas = out.copy()
        r0, c0 = centre[0] - size // 2, centre[1] - size // 2
        rs, cs = slice(max(r0, 0), min(r0 + size, img.shape[0])), slice(max(c0, 0), min(c0 + size, img.shape[1]))
        canvas[rs, cs] = p[rs.start - r0: rs.stop - r0, cs.start - c0: cs.stop - c0]
        alpha, _, _ = blob(img.shape, centre, radius, rng)
        inside = alpha > 0.5
        if np.mean(np.abs(canvas - out)[inside] > visible) < 0.5:
            continue  # the patch looks like what it would cover: not a visible lesion
        a = rng.uniform(0.7, 1.0)
        out = (1 - a * alpha) * out + a * alpha * canvas
        mask |= inside
        placed += 1
    return out, mask


def make_lesion(design: str, img: np.ndarray, modality: str, spacing: tuple[float, float], seed: int, source: PatchSource) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 4))
    if design == 'mass':
        return add_mass(img, modality, spacing, rng, count)
    return add_patch(img, modality, spacing, rng, count, source)
