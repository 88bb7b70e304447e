"""Reference voxelwise height control (SPEC "Study statistics"; nilearn threshold_stats_img's methods).

usage: numpy_height.py CASES_JSON, a list of {"file", "stat": "z" | "t:DF" | "f:DF1,DF2", "method": "fdr" |
"bonferroni" | "fpr", "alpha", "twoSided"}; prints the list with "threshold" (null when FDR finds no
k), "voxels" (m, the finite non-zero voxels) and "survivors" filled in.

p_v is the upper tail of the statistic at v (twice the tail of |v| two-sided). Benjamini-Hochberg:
sort p ascending, take the largest k with p_(k) <= q k / m; the height is |value| of p_(k).
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import stats

out = []
cache = {}
for c in json.loads(sys.argv[1]):
    if c["file"] not in cache:
        v = nib.load(c["file"]).get_fdata(dtype=np.float64)
        v = v[..., 0] if v.ndim > 3 else v
        v = v.ravel()
        cache[c["file"]] = v[np.isfinite(v) & (v != 0)]
    values = cache[c["file"]]
    kind, _, df = c["stat"].partition(":")
    dist = stats.norm() if kind == "z" else stats.t(float(df)) if kind == "t" else stats.f(*map(float, df.split(",")))
    two = c["twoSided"]
    a = np.abs(values) if two else values
    p = dist.sf(a) * (2 if two else 1)
    m = len(values)
    alpha = c["alpha"]
    if c["method"] == "fdr":
        order = np.argsort(p, kind="stable")
        ok = np.nonzero(p[order] <= alpha * np.arange(1, m + 1) / m)[0]
        threshold = None if len(ok) == 0 else float(a[order][ok[-1]])
    else:
        tail = alpha / m if c["method"] == "bonferroni" else alpha
        threshold = float(dist.isf(tail / 2 if two else tail))
    r = dict(c)
    r.update(threshold=threshold, voxels=int(m), survivors=0 if threshold is None else int(np.sum(a >= threshold)))
    out.append(r)
print(json.dumps(out))
