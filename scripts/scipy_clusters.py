#!/usr/bin/env python3
"""Reference cluster tables from scipy.ndimage.label and numpy, with the SPEC's conventions.

usage: scipy_clusters.py FILE THRESHOLD CONNECTIVITY(6|18|26) ONE|TWO
Prints JSON: clusters sorted largest first (ties: larger |peak|, then the peak's x-fastest index),
each with sign, voxels, peak value/voxel, centre of gravity in mm and mean.
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

RANK = {6: 1, 18: 2, 26: 3}


def cluster_arrays(data, mask, structure, affine):
    """scipy.ndimage.label and a vectorised numpy table, in x-fastest (Fortran) order so "first voxel"
    means what the SPEC means: count, sum, centre of gravity (mm), peak index and value per label."""
    labels, n = ndimage.label(mask, structure=structure)
    if n == 0:
        return None
    flat_labels = labels.ravel(order="F")
    flat = data.ravel(order="F").astype(np.float64)
    idx = np.nonzero(flat_labels)[0]
    lab = flat_labels[idx]
    val = flat[idx]
    ijk = np.array(np.unravel_index(idx, data.shape, order="F"), dtype=np.float64)
    count = np.bincount(lab, minlength=n + 1)[1:]
    total = np.bincount(lab, weights=val, minlength=n + 1)[1:]
    cog_vox = np.stack([np.bincount(lab, weights=val * ijk[a], minlength=n + 1)[1:] for a in range(3)]) / total
    cog_mm = affine[:3, :3] @ cog_vox + affine[:3, 3:4]
    order = np.lexsort((idx, -np.abs(val)))
    first = np.unique(lab[order], return_index=True)[1]
    peak_idx = idx[order][first]
    return {"n": n, "count": count, "total": total, "cog_mm": cog_mm, "peak_idx": peak_idx, "peak_val": flat[peak_idx]}


def table(data, mask, sign, structure, affine):
    a = cluster_arrays(data, mask, structure, affine)
    if a is None:
        return []
    peak_vox = np.array(np.unravel_index(a["peak_idx"], data.shape, order="F")).T
    out = []
    for c in range(a["n"]):
        out.append({
            "sign": sign,
            "voxels": int(a["count"][c]),
            "peakIndex": int(a["peak_idx"][c]),
            "peak": {"value": float(a["peak_val"][c]), "voxel": [int(v) for v in peak_vox[c]]},
            "cog": {"mm": [float(v) for v in a["cog_mm"][:, c]]},
            "mean": float(a["total"][c] / a["count"][c]),
        })
    return out


def main() -> None:
    path, t, conn, sides = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    img = nib.load(path)
    data = np.asarray(img.dataobj, dtype=np.float64).astype(np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    finite = np.isfinite(data)
    t32 = np.float32(t)
    structure = ndimage.generate_binary_structure(3, RANK[conn])
    clusters = table(data, finite & (data >= t32), 1, structure, img.affine)
    if sides == "TWO":
        clusters += table(data, finite & (data <= -t32), -1, structure, img.affine)
    clusters.sort(key=lambda c: (-c["voxels"], -abs(c["peak"]["value"]), c["peakIndex"]))
    json.dump({"clusters": clusters}, sys.stdout)


if __name__ == "__main__":
    main()
