#!/usr/bin/env python3
"""Reference signature responses in numpy, from the SPEC's formulas (CANlab's conventions).

usage: numpy_signature.py WEIGHTS weights-to-data|data-to-weights MAP...
Prints JSON: for each map, dot, cosine, correlation and the voxel count. Trilinear resampling through
both affines (positions within 1e-4 voxel of a grid point snap to it); outside the source grid (beyond 1e-4 voxel) = 0; non-finite source values count as 0.
Voxel set: weight finite and != 0, and value finite and != 0.
"""
import json
import sys

import nibabel as nib
import numpy as np

EDGE_EPS = 1e-4


def load(path):
    img = nib.load(path)
    data = img.get_fdata(dtype=np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    return data, img.affine


def trilinear(src, src_aff, tgt_shape, tgt_aff):
    m = np.linalg.inv(src_aff) @ tgt_aff
    ijk = np.indices(tgt_shape, dtype=np.float64).reshape(3, -1)
    c = m[:3, :3] @ ijk + m[:3, 3:4]
    r = np.round(c)
    c = np.where(np.abs(c - r) <= EDGE_EPS, r, c)
    src = np.where(np.isfinite(src), src, 0).astype(np.float64)
    n = np.array(src.shape)[:, None]
    valid = np.all((c >= -EDGE_EPS) & (c <= n - 1 + EDGE_EPS), axis=0)
    lo = np.where(n > 1, np.clip(np.floor(c), 0, np.maximum(n - 2, 0)), 0).astype(np.int64)
    f = np.where(n > 1, np.clip(c - lo, 0, 1), 0)
    step = np.where(n > 1, 1, 0)
    out = np.zeros(c.shape[1])
    for dx in (0, 1):
        for dy in (0, 1):
            for dz in (0, 1):
                w = (f[0] if dx else 1 - f[0]) * (f[1] if dy else 1 - f[1]) * (f[2] if dz else 1 - f[2])
                ix = np.minimum(lo[0] + dx * step[0], src.shape[0] - 1)
                iy = np.minimum(lo[1] + dy * step[1], src.shape[1] - 1)
                iz = np.minimum(lo[2] + dz * step[2], src.shape[2] - 1)
                out += w * src[ix, iy, iz]
    out[~valid] = 0
    return out.reshape(tgt_shape).astype(np.float32)


def same_grid(a_shape, a_aff, b_shape, b_aff):
    return tuple(a_shape) == tuple(b_shape) and np.allclose(a_aff, b_aff, atol=1e-4, rtol=0)


def main() -> None:
    wpath, direction, maps = sys.argv[1], sys.argv[2], sys.argv[3:]
    w0, waff = load(wpath)
    out = []
    for path in maps:
        x, xaff = load(path)
        if direction == "weights-to-data":
            w = w0 if same_grid(w0.shape, waff, x.shape, xaff) else trilinear(w0, waff, x.shape, xaff)
        else:
            w = w0
            x = x if same_grid(w0.shape, waff, x.shape, xaff) else trilinear(x, xaff, w0.shape, waff)
        w = w.astype(np.float64).ravel()
        x = x.astype(np.float64).ravel()
        s = np.isfinite(w) & (w != 0) & np.isfinite(x) & (x != 0)
        ws, xs = w[s], x[s]
        n = int(s.sum())
        dot = float(ws @ xs) if n else None
        cos = float(dot / (np.linalg.norm(ws) * np.linalg.norm(xs))) if n else None
        corr = float(np.corrcoef(ws, xs)[0, 1]) if n > 1 else None
        out.append({"file": path, "voxels": n, "dot": dot, "cosine": cos, "correlation": corr})
    json.dump({"results": out}, sys.stdout)


if __name__ == "__main__":
    main()
