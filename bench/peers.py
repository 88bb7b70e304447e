#!/usr/bin/env python3
"""The peers of `npm run bench`, timed in-process (interpreter start-up excluded), median of repeats.

usage: peers.py read FILE REPEATS | clusters FILE THRESHOLD REPEATS | signature WEIGHTS REPEATS MAP...
Prints JSON {"seconds": median, "result": ...}.
"""
import json
import statistics
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/scripts")
from numpy_signature import load, trilinear  # noqa: E402


def timed(f, repeats):
    f()  # warm-up, as the JavaScript side gets
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def read(path):
    return nib.load(path).get_fdata(dtype=np.float32)


def clusters(data, affine, t):
    # scipy.ndimage.label (26-connectivity) and a vectorised numpy table: size, peak, peak voxel, COG.
    mask = np.isfinite(data) & (data >= np.float32(t))
    labels, n = ndimage.label(mask, structure=np.ones((3, 3, 3)))
    flat_labels = labels.ravel(order="F")
    flat = data.ravel(order="F").astype(np.float64)
    idx = np.nonzero(flat_labels)[0]
    lab = flat_labels[idx]
    val = flat[idx]
    ijk = np.array(np.unravel_index(idx, data.shape, order="F"), dtype=np.float64)
    count = np.bincount(lab, minlength=n + 1)[1:]
    total = np.bincount(lab, weights=val, minlength=n + 1)[1:]
    cog = np.stack([np.bincount(lab, weights=val * ijk[a], minlength=n + 1)[1:] for a in range(3)]) / total
    cog_mm = affine[:3, :3] @ cog + affine[:3, 3:4]
    order = np.lexsort((idx, -np.abs(val)))
    first = np.unique(lab[order], return_index=True)[1]
    peak_idx = idx[order][first]
    sizes = np.sort(count)[::-1]
    return {"clusters": int(n), "largest": int(sizes[0]) if n else 0, "peaks": int(len(peak_idx)), "cog": float(cog_mm.sum()) if n else 0.0}


def signature(w0, waff, maps):
    shape, aff = maps[0][0].shape, maps[0][1]
    w = trilinear(w0, waff, shape, aff).astype(np.float64).ravel()
    wmask = np.isfinite(w) & (w != 0)
    out = []
    for x, _ in maps:
        xf = x.ravel().astype(np.float64)
        s = wmask & np.isfinite(xf) & (xf != 0)
        out.append(float(w[s] @ xf[s]))
    return out


def main():
    kind = sys.argv[1]
    if kind == "read":
        secs, out = timed(lambda: read(sys.argv[2]), int(sys.argv[3]))
        result = {"shape": list(out.shape)}
    elif kind == "clusters":
        img = nib.load(sys.argv[2])
        data = img.get_fdata(dtype=np.float32)
        secs, result = timed(lambda: clusters(data, img.affine, float(sys.argv[3])), int(sys.argv[4]))
    else:
        w0, waff = load(sys.argv[2])
        maps = [load(p) for p in sys.argv[4:]]
        secs, out = timed(lambda: signature(w0, waff, maps), int(sys.argv[3]))
        result = {"maps": len(out), "first": out[0]}
    json.dump({"seconds": secs, "result": result}, sys.stdout)


if __name__ == "__main__":
    main()
