#!/usr/bin/env python3
"""A plain Freedman-Lane reference written from ../shared/SPEC.md "The general linear model", WITHOUT
the product's shortcut: for each saved permutation it permutes (or sign-flips) the null model's
residuals, adds back the null model's fit, refits the full model by least squares and computes t or F,
then the map's maximum and its largest cluster (scipy.ndimage.label) at the threshold.

usage: numpy_freedman_lane.py CASE.json
CASE: {"rows": [[map] or [pre, post]] in the model's row order, "prefix": the --out PREFIX of
  `siglens group` (its _design.mat/.con/.fts and _perm_{t,f}statN.txt are read), "tests": [{"kind":
  "t"|"F", "index": N, "threshold": the statistic's cluster-forming threshold}], "connectivity": 6|18|26,
  "demean": bool}
  A test may carry "tfce": {"step", "E", "H", "connectivity"}: then TFCE level by level (h_k = k * step,
  FSL's sum without dh) of t, or of z from F's p (as randomise), and its maximum per permutation.
prints {"voxels": V, "tests": [{"maxStat": [...], "maxExtent": [...], "maxMass": [...], "ties": [...], "maxTfce": [...]}]}
where ties counts, per permutation, the voxels within 1e-4 (relative) of the threshold.
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage, special, stats
from scipy.linalg import null_space


def vest(path):
    lines = open(path).read().splitlines()
    start = next((i + 1 for i, l in enumerate(lines) if l.strip().startswith("/Matrix")), 0)
    rows = [[float(x) for x in l.split()] for l in lines[start:] if l.strip()]
    return np.asarray(rows, dtype=np.float64)


def load_rows(rows):
    maps = []
    data = []
    for r in rows:
        imgs = [np.asarray(nib.load(f).dataobj, dtype=np.float32) for f in r]
        maps.extend(imgs)
        data.append(imgs[1] - imgs[0] if len(imgs) == 2 else imgs[0])
    shape = maps[0].shape[:3]
    mask = np.ones(shape, dtype=bool)
    for m in maps:
        m = m.reshape(shape)
        mask &= np.isfinite(m) & (m != 0)
    y = np.stack([d.reshape(shape)[mask] for d in data]).astype(np.float64)
    keep = ((y - y.mean(axis=0)) ** 2).sum(axis=0) > 0
    mask[mask] = keep
    return y[:, keep], mask


def tfce_max(vol, rule):
    """Max TFCE of a volume, level by level: sum over h_k = k * step <= value of extent^E * h_k^H."""
    st = structure(rule["connectivity"])
    out = np.zeros(vol.shape)
    k = 1
    while k * rule["step"] <= vol.max():
        h = k * rule["step"]
        lab, nc = ndimage.label(vol >= h, structure=st)
        sizes = np.bincount(lab.ravel()).astype(np.float64)
        sizes[0] = 0
        out += sizes[lab] ** rule["E"] * h ** rule["H"]
        k += 1
    return float(out.max())


def structure(conn):
    return ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[conn])


def main():
    case = json.load(open(sys.argv[1]))
    y, mask = load_rows(case["rows"])
    prefix = case["prefix"]
    m = vest(prefix + "_design.mat")
    cons = vest(prefix + "_design.con")
    if case.get("demean"):
        m = m - m.mean(axis=0)
        y = y - y.mean(axis=0)
    n, p = m.shape
    df = n - np.linalg.matrix_rank(m)
    pm = np.linalg.pinv(m)
    xtxi = pm @ pm.T
    st = structure(case["connectivity"])
    out = []
    for t in case["tests"]:
        if t["kind"] == "t":
            c = cons[t["index"] - 1 : t["index"]]
            perm_file = "%s_perm_tstat%d.txt" % (prefix, t["index"])
        else:
            fts = vest(prefix + "_design.fts")
            c = cons[fts[t["index"] - 1] != 0]
            perm_file = "%s_perm_fstat%d.txt" % (prefix, t["index"])
        s = c.shape[0]
        z = m @ null_space(c)
        hz = z @ np.linalg.pinv(z) if z.shape[1] else np.zeros((n, n))
        fit_z = hz @ y
        e = y - fit_z
        middle = np.linalg.pinv(c @ xtxi @ c.T)
        res = {"maxStat": [], "maxExtent": [], "maxMass": [], "ties": [], "maxTfce": []}
        for line in open(perm_file).read().splitlines():
            code = np.asarray([int(x) for x in line.split()])
            if set(np.unique(code)) <= {-1, 1} and n > 1 and code.min() < 1:
                ystar = code[:, None] * e + fit_z
            elif set(np.unique(code)) == {1}:
                ystar = e + fit_z
            else:
                ystar = e[code - 1] + fit_z
            b = pm @ ystar
            r = ystar - m @ b
            sigma2 = (r**2).sum(axis=0) / df
            cb = c @ b
            if t["kind"] == "t":
                stat = cb[0] / np.sqrt(sigma2 * (c @ xtxi @ c.T)[0, 0])
            else:
                stat = np.einsum("iv,ij,jv->v", cb, middle, cb) / s / sigma2
            stat = stat.astype(np.float32).astype(np.float64)
            vol = np.zeros(mask.shape)
            vol[mask] = stat
            u = np.float32(t["threshold"])
            labels, k = ndimage.label(vol >= u, structure=st)
            extent = np.bincount(labels.ravel())[1:] if k else np.zeros(1)
            mass = ndimage.sum(vol, labels, np.arange(1, k + 1)) if k else np.zeros(1)
            res["maxStat"].append(float(stat.max()))
            res["maxExtent"].append(int(extent.max()))
            res["maxMass"].append(float(np.max(mass)))
            res["ties"].append(int((np.abs(stat - u) <= 1e-4 * abs(u)).sum()))
            rule = t.get("tfce")
            if rule:
                if t["kind"] == "t":
                    tv = vol
                else:
                    with np.errstate(divide="ignore"):
                        zs = -special.ndtri(stats.f.sf(stat, s, df))
                    tv = np.zeros(mask.shape)
                    tv[mask] = np.where(stat > 0, zs, 0).astype(np.float32)
                res["maxTfce"].append(tfce_max(tv, rule))
        out.append(res)
    print(json.dumps({"voxels": int(mask.sum()), "tests": out}))


if __name__ == "__main__":
    main()
