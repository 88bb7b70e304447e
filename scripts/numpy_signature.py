#!/usr/bin/env python3
"""Reference signature responses in numpy, written from the SPEC's convention (CANlab's
apply_mask 'pattern_expression', whose resample_space calls interp3 'linear' in float64).

usage: numpy_signature.py WEIGHTS weights-to-data|data-to-weights MAP...
Prints JSON: for each map, dot, cosine, correlation and the voxel count.

Resampling: each target voxel centre goes to mm through the target's affine and back to a source
voxel position through the source's affine, in float64 from the affines as stored. Positions are
never snapped: a position 1e-6 voxel beside a grid point takes that share of the neighbour, as
interp3 does. A position more than EDGE_TOLERANCE voxel outside [0, n-1] on any axis is 0 (interp3's
extrapolation value as CANlab passes it); one within it samples the edge. Non-finite source values
count as 0. Voxel set: weight finite and != 0, and value finite and != 0.
"""
import json
import sys

import nibabel as nib
import numpy as np

# The SPEC: "a position within 1e-6 voxel outside the grid's edge counts as inside".
EDGE_TOLERANCE = 1e-6
# Affines this close (mm) describe the same grid: no resampling (the SPEC's same-grid rule).
SAME_GRID_MM = 1e-4


def load(path):
    img = nib.load(path)
    data = img.get_fdata(dtype=np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    return data, img.affine


def source_positions(src_aff, tgt_shape, tgt_aff):
    """Source voxel coordinates (3, N) of every target voxel centre, target x fastest."""
    k, j, i = np.meshgrid(*(np.arange(n, dtype=np.float64) for n in tgt_shape[::-1]), indexing="ij")
    ijk1 = np.stack([i.ravel(), j.ravel(), k.ravel(), np.ones(i.size)])
    mm = tgt_aff @ ijk1
    return np.linalg.solve(src_aff, mm)[:3]


def trilinear(src, src_aff, tgt_shape, tgt_aff):
    """Float64 trilinear interpolation of src at every target voxel; result in x-fastest order."""
    c = source_positions(src_aff, tgt_shape, tgt_aff)
    vals = np.where(np.isfinite(src), src, 0).astype(np.float64)
    shape = np.array(src.shape, dtype=np.float64)[:, None]
    inside = np.all((c >= -EDGE_TOLERANCE) & (c <= shape - 1 + EDGE_TOLERANCE), axis=0)
    # Within the tolerance outside the edge: sample the edge itself.
    c = np.clip(c, 0, shape - 1)
    lower = np.floor(c).astype(np.int64)
    upper = np.minimum(lower + 1, np.array(src.shape)[:, None] - 1)
    frac = c - lower
    out = np.zeros(c.shape[1])
    for corner in range(8):
        pick = [(corner >> a) & 1 for a in range(3)]
        idx = [upper[a] if pick[a] else lower[a] for a in range(3)]
        weight = np.ones(c.shape[1])
        for a in range(3):
            weight *= frac[a] if pick[a] else 1 - frac[a]
        out += weight * vals[idx[0], idx[1], idx[2]]
    out[~inside] = 0
    return out


def same_grid(a_shape, a_aff, b_shape, b_aff):
    return tuple(a_shape) == tuple(b_shape) and np.max(np.abs(a_aff - b_aff)) <= SAME_GRID_MM


def main() -> None:
    wpath, direction, maps = sys.argv[1], sys.argv[2], sys.argv[3:]
    w0, waff = load(wpath)
    out = []
    for path in maps:
        x, xaff = load(path)
        same = same_grid(w0.shape, waff, x.shape, xaff)
        w = w0.ravel(order="F").astype(np.float64)
        xv = x.ravel(order="F").astype(np.float64)
        if not same and direction == "weights-to-data":
            w = trilinear(w0, waff, x.shape, xaff)
        elif not same:
            xv = trilinear(x, xaff, w0.shape, waff)
        s = np.isfinite(w) & (w != 0) & np.isfinite(xv) & (xv != 0)
        ws, xs = w[s], xv[s]
        n = int(s.sum())
        dot = float(ws @ xs) if n else None
        cos = float(dot / (np.linalg.norm(ws) * np.linalg.norm(xs))) if n else None
        corr = float(np.corrcoef(ws, xs)[0, 1]) if n > 1 else None
        out.append({"file": path, "voxels": n, "dot": dot, "cosine": cos, "correlation": corr})
    json.dump({"results": out}, sys.stdout)


if __name__ == "__main__":
    main()
