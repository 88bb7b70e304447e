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

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/scripts")
from numpy_signature import load, trilinear  # noqa: E402
from scipy_clusters import cluster_arrays  # noqa: E402


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
    # scipy.ndimage.label (26-connectivity) and the vectorised numpy table of scripts/scipy_clusters.py.
    mask = np.isfinite(data) & (data >= np.float32(t))
    a = cluster_arrays(data, mask, np.ones((3, 3, 3)), affine)
    return {"clusters": int(a["n"]) if a else 0, "largest": int(a["count"].max()) if a else 0}


def signature(w0, waff, maps):
    shape, aff = maps[0][0].shape, maps[0][1]
    w = trilinear(w0, waff, shape, aff).astype(np.float64).ravel()
    wmask = np.isfinite(w) & (w != 0)
    out = []
    for x, _ in maps:
        xf = x.ravel(order="F").astype(np.float64)
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
