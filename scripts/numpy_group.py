#!/usr/bin/env python3
"""Reference group analysis by permutation, written from ../shared/SPEC.md "Group analysis" and the
published methods (Nichols & Holmes 2002 max-T; cluster extent and mass; Smith & Nichols 2009 TFCE),
with scipy.stats for t and scipy.ndimage.label for clusters. Nothing here comes from SigLens' code.

usage:
  numpy_group.py engine DIR     DIR holds meta.json, stack.f32 (subjects x voxels), codes.f32
                                (permutations x subjects), voxels.u32 (flat x-fastest mask indices).
                                Prints per-permutation maxima (t, extent, mass, TFCE) and the
                                unpermuted map's t and TFCE at the masked voxels.
  numpy_group.py maps JSON      a design over NIfTI files (see maps()); prints the mask, t, z, df.
"""
import json
import math
import os
import sys

import numpy as np
from scipy import ndimage, special, stats


def structure(connectivity):
    return ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[connectivity])


def permuted_t(x, codes, kind):
    """t of each permutation row: scipy's one-sample t of the sign-flipped values, or Student's
    pooled-variance two-sample t of group 1 against group 0."""
    out = np.empty((codes.shape[0], x.shape[1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, c in enumerate(codes):
            if kind == "sign-flip":
                t = stats.ttest_1samp(c[:, None] * x, 0.0, axis=0).statistic
            else:
                t = stats.ttest_ind(x[c == 1], x[c == 0], axis=0, equal_var=True).statistic
            out[p] = np.where(np.isfinite(t), t, 0.0)
    return out


def volume(values, voxels, dims):
    v = np.zeros(dims[0] * dims[1] * dims[2])
    v[voxels] = values
    # x fastest: numpy's C order over (z, y, x)
    return v.reshape(dims[2], dims[1], dims[0])


def cluster_maxima(tvol, u, two_sided, connectivity):
    ext, mass = 0, 0.0
    for sign in ([1, -1] if two_sided else [1]):
        s = sign * tvol
        lab, n = ndimage.label(s >= u, structure(connectivity))
        if n == 0:
            continue
        idx = np.arange(1, n + 1)
        ext = max(ext, int(ndimage.sum_labels(np.ones_like(s), lab, idx).max()))
        mass = max(mass, float(ndimage.sum_labels(s, lab, idx).max()))
    return ext, mass


def tfce_direct(tvol, step, E, H, connectivity, two_sided):
    """TFCE level by level: h_k = k * step for every k with h_k <= the map's max; at each level the
    component sizes of {t >= h_k} (scipy.ndimage.label), sum of e^E h^H (FSL's form, no dh)."""
    out = np.zeros_like(tvol)
    for sign in ([1, -1] if two_sided else [1]):
        s = sign * tvol
        top = s.max()
        k = 1
        while k * step <= top:
            h = k * step
            lab, n = ndimage.label(s >= h, structure(connectivity))
            sizes = np.bincount(lab.ravel())
            sizes[0] = 0
            out += sign * (sizes[lab].astype(np.float64) ** E) * (h ** H) * (lab > 0)
            k += 1
    return out


def engine(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    n, m, P = meta["subjects"], meta["voxels"], meta["count"]
    dims = meta["dims"]
    x = np.fromfile(os.path.join(d, "stack.f32"), dtype=np.float32).reshape(n, m).astype(np.float64)
    codes = np.fromfile(os.path.join(d, "codes.f32"), dtype=np.float32).reshape(P, n).astype(np.float64)
    voxels = np.fromfile(os.path.join(d, "voxels.u32"), dtype=np.uint32).astype(np.int64)
    t = permuted_t(x, codes, meta["kind"])
    two = meta["twoSided"]
    res = {"maxT": [], "maxExtent": [], "maxMass": [], "maxTfce": []}
    tf = meta.get("tfce")
    tfce0 = None
    for p in range(P):
        res["maxT"].append(float((np.abs(t[p]) if two else t[p]).max()))
        tv = volume(t[p], voxels, dims)
        e, ms = cluster_maxima(tv, meta["threshold"], two, meta["connectivity"])
        res["maxExtent"].append(e)
        res["maxMass"].append(ms)
        if tf:
            tt = tfce_direct(tv, tf["step"], tf["E"], tf["H"], tf["connectivity"], two)
            res["maxTfce"].append(float(np.abs(tt).max()))
            if p == 0:
                tfce0 = tt.ravel()[voxels].tolist()
    # The unpermuted map's clusters and their FWE p: the share of permutations whose max reaches
    # the observed value, the data's own permutation included.
    t0 = volume(t[0], voxels, dims)
    obs = []
    for sign in ([1, -1] if two else [1]):
        lab, nc = ndimage.label(sign * t0 >= meta["threshold"], structure(meta["connectivity"]))
        for c in range(1, nc + 1):
            size = int((lab == c).sum())
            mass = float((sign * t0)[lab == c].sum())
            obs.append({"voxels": size, "mass": mass,
                        "pFwe": float(np.mean(np.array(res["maxExtent"]) >= size)),
                        "pFweMass": float(np.mean(np.array(res["maxMass"]) >= mass * (1 - 1e-9)))})
    res["clusters"] = sorted(obs, key=lambda c: (-c["voxels"], -c["mass"]))
    mt = np.array(res["maxT"])
    res["voxP"] = [float(np.mean(mt >= (abs(v) if two else v) * (1 - 1e-9))) for v in t[0]]
    res["t"] = t[: min(P, 4)].tolist()
    res["tfce0"] = tfce0
    json.dump(res, sys.stdout)


def load(path):
    import nibabel as nib
    img = nib.load(path)
    return np.asarray(img.dataobj, dtype=np.float32), img.affine


def maps(spec_path):
    """A design over NIfTI files: {"design", "pairs": [[pre, post]...] | "maps": [...], "groups": [0|1...],
    "mask": path|null}. SPM's implicit mask (finite and non-zero in every map, within the mask file),
    less the voxels whose variance is 0; t by scipy.stats (ttest_rel, ttest_1samp, ttest_ind with
    equal_var=True); z = Phi^-1(1 - T_df(t)) with the sign kept; the z threshold's t."""
    spec = json.load(open(spec_path))
    design = spec["design"]
    files = [f for pr in spec["pairs"] for f in pr] if design == "paired" else spec["maps"]
    data = [load(f)[0].astype(np.float64) for f in files]
    mask = np.ones(data[0].shape, bool)
    for d in data:
        mask &= np.isfinite(d) & (d != 0)
    if spec.get("mask"):
        m = load(spec["mask"])[0]
        mask &= np.isfinite(m) & (m != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if design == "paired":
            pre = np.stack([x[mask] for x in data[0::2]])
            post = np.stack([x[mask] for x in data[1::2]])
            t = stats.ttest_rel(post, pre, axis=0).statistic
            df = pre.shape[0] - 1
        elif design == "one-sample":
            x = np.stack([d[mask] for d in data])
            t = stats.ttest_1samp(x, 0.0, axis=0).statistic
            df = x.shape[0] - 1
        else:
            g = np.array(spec["groups"])
            x = np.stack([d[mask] for d in data])
            t = stats.ttest_ind(x[g == 1], x[g == 0], axis=0, equal_var=True).statistic
            df = x.shape[0] - 2
    ok = np.isfinite(t)
    full = np.zeros(mask.shape)
    full[mask] = np.where(ok, t, 0.0)
    keep = mask.copy()
    keep[mask] = ok
    # z keeping the one-sided p in the tails: isf of the upper tail of |t|, sign restored
    z = np.sign(full) * stats.norm.isf(stats.t.sf(np.abs(full), df))
    z[~keep] = 0
    u = spec.get("z", 2.3)
    # the maps as float64, x fastest, beside the spec (JSON lists of a whole grid are slow to pass)
    full.ravel(order="F").tofile(spec_path + ".t.f64")
    z.ravel(order="F").tofile(spec_path + ".z.f64")
    json.dump({"df": df, "maskVoxels": int(keep.sum()), "tThreshold": float(stats.t.isf(stats.norm.sf(u), df))}, sys.stdout)


def zt(pairs_json):
    """z from t for [[t, df]...]: the inverse normal of scipy's log upper tail of |t|
    (special.ndtri_exp), sign restored; null where scipy's tail underflows."""
    out = []
    for t, df in json.loads(pairs_json):
        z = -special.ndtri_exp(stats.t.logsf(abs(t), df))
        out.append((math.copysign(z, t) if t != 0 else 0.0) if np.isfinite(z) else None)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    {"engine": engine, "maps": maps, "zt": zt}[sys.argv[1]](sys.argv[2])
