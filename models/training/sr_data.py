"""Training patches and validation slices for the ×2 super-resolution model."""
from __future__ import annotations

import numpy as np

from common import Volume, anomaly_factor, anomaly_normalise, area_down, area_down2, available, load_volume, normalise, tissue_slices, TRAIN, VALIDATION


class SliceBank:
    """All tissue slices of the training volumes, normalised, pooled as CT, IXI-style MR and other MR.

    Axial slices (axis 0) of every volume; for near-isotropic volumes (voxel edges within 20 %) also the slices along
    the other two axes, which triples the in-plane examples at the same resolution. MR is drawn from two pools,
    IXI-style volumes (2 mm, 8-bit) with probability `ixi_fraction` and the rest (high-resolution 3 T/7 T), so neither
    acquisition style dominates just by having more slices.

    With `anomaly_scale`, each slice is first area-downsampled to the anomaly model's working resolution (about
    ANOMALY_MM per pixel; common.anomaly_factor) and normalised as the anomaly model reads it (CT in a soft-tissue
    window; common.anomaly_normalise).
    """

    def __init__(self, names: list[str], ixi_fraction: float = 0.5, all_axes: bool = False, anomaly_scale: bool = False) -> None:
        self.ixi_fraction = ixi_fraction
        self.pools: dict[str, list[tuple[np.ndarray, str]]] = {'CT': [], 'MR-ixi': [], 'MR-other': []}
        for name in available(names):
            vol = load_volume(name)
            key = 'CT' if vol.modality == 'CT' else ('MR-ixi' if 'ixi' in name else 'MR-other')
            isotropic = vol.spacing.max() / vol.spacing.min() < 1.2
            for axis in (0, 1, 2) if all_axes and isotropic else (0,):
                view = Volume(vol.name, vol.modality, np.ascontiguousarray(np.moveaxis(vol.image, axis, 0)), vol.spacing)
                for i in tissue_slices(view):
                    # Normalised once here (CT fixed map, MR slice percentiles), not per sampled patch.
                    s = view.image[i]
                    if anomaly_scale:
                        # Axis 0 is the slice axis of `view`; its in-plane spacing is the other two.
                        in_plane = [sp for a, sp in enumerate(vol.spacing) if a != axis]
                        s = anomaly_normalise(area_down(s, anomaly_factor(float(min(in_plane)))), vol.modality)
                    else:
                        s = normalise(s, vol.modality)[0]
                    self.pools[key].append((s, vol.modality))

    def sample(self, rng: np.random.Generator, modality: str) -> tuple[np.ndarray, str]:
        if modality == 'MR':
            ixi = self.pools['MR-ixi'] and (not self.pools['MR-other'] or rng.random() < self.ixi_fraction)
            pool = self.pools['MR-ixi'] if ixi else self.pools['MR-other']
        else:
            pool = self.pools['CT']
        return pool[rng.integers(len(pool))]


def random_crops(rng: np.random.Generator, arrays: list[np.ndarray], size: int) -> list[np.ndarray]:
    """The same random size × size crop, flip and rotation of every (equally shaped) array; smaller ones are
    edge-padded. Draws: row, column, a left–right flip, an up–down flip, a quarter-turn count."""
    h, w = arrays[0].shape
    if h < size or w < size:
        arrays = [np.pad(a, ((0, max(0, size - h)), (0, max(0, size - w))), mode='edge') for a in arrays]
        h, w = arrays[0].shape
    r, c = rng.integers(h - size + 1), rng.integers(w - size + 1)
    lr, ud = rng.random() < 0.5, rng.random() < 0.5
    k = rng.integers(4)
    out = []
    for a in arrays:
        p = a[r:r + size, c:c + size]
        p = p[:, ::-1] if lr else p
        p = p[::-1, :] if ud else p
        out.append(np.ascontiguousarray(np.rot90(p, k)))
    return out


def random_patch(rng: np.random.Generator, x: np.ndarray, modality: str, size: int) -> np.ndarray:
    """A randomly flipped/rotated patch of `size` × `size` from a normalised slice (smaller ones are edge-padded)."""
    return random_crops(rng, [x], size)[0]


def detailed_patch(rng: np.random.Generator, x: np.ndarray, modality: str, size: int, tries: int) -> np.ndarray:
    """The most detailed (largest mean absolute gradient) of `tries` random patches: fewer flat background patches."""
    cands = [random_patch(rng, x, modality, size) for _ in range(tries)]
    return max(cands, key=lambda p: float(np.abs(np.diff(p, axis=0)).mean() + np.abs(np.diff(p, axis=1)).mean()))


def batch(bank: SliceBank, rng: np.random.Generator, n: int, size: int, ct_fraction: float = 0.5, tries: int = 1) -> tuple[np.ndarray, np.ndarray]:
    n_ct = round(n * ct_fraction)
    hr = np.stack([detailed_patch(rng, *bank.sample(rng, 'CT' if k < n_ct else 'MR'), size, tries) for k in range(n)])[:, None]
    return area_down2(hr).astype(np.float32), hr.astype(np.float32)


def validation_slices() -> list[tuple[str, np.ndarray]]:
    out = []
    for name in available(VALIDATION):
        vol: Volume = load_volume(name)
        for i in tissue_slices(vol):
            out.append((vol.modality, vol.image[i]))
    return out


if __name__ == '__main__':
    print({k: len(v) for k, v in SliceBank(TRAIN).pools.items()}, len(validation_slices()))
