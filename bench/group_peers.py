#!/usr/bin/env python3
"""Whole-process peers of `siglens group` for `npm run bench` (figures G1-G3), written from the
published methods, not from SigLens' code.

usage: group_peers.py numpy|mne|tfce|glm SPEC.json
SPEC: {"pairs": [[pre, post], ...], "z": 2.3, "connectivity": 26, "permutations": 1024,
       "timedPermutations": K (tfce only: run the first K and scale)}
Prints JSON {"seconds": ..., "result": ...}; the caller times the whole process too.
"""
import itertools
import json
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage, stats


def study(spec):
    """Paired differences at SPM's implicit mask (finite and non-zero in every map)."""
    maps = [[np.asarray(nib.load(f).dataobj, dtype=np.float32) for f in pr] for pr in spec["pairs"]]
    mask = np.ones(maps[0][0].shape, bool)
    for pre, post in maps:
        mask &= np.isfinite(pre) & (pre != 0) & np.isfinite(post) & (post != 0)
    d = np.stack([post[mask].astype(np.float64) - pre[mask] for pre, post in maps])
    return d, mask


def sign_flips(n, count):
    """Every sign flip when count reaches 2^n (the data's own first), else random ones."""
    if count >= 2 ** n:
        return np.array(list(itertools.product([1.0, -1.0], repeat=n)))
    rng = np.random.default_rng(0)
    s = rng.choice([1.0, -1.0], size=(count, n))
    s[0] = 1
    return s


def permuted_t(d, signs):
    """t of each sign flip, vectorised: sums by one matrix product, the sum of squares fixed."""
    n = d.shape[0]
    q = (d * d).sum(0)
    s = signs @ d
    ss = q - s * s / n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (s / n) / np.sqrt(ss / (n - 1) / n)
    return np.nan_to_num(t, nan=0.0, posinf=0.0, neginf=0.0)


def numpy_peer(spec):
    """Max t, max cluster extent and max cluster mass per permutation: scipy.ndimage.label each."""
    d, mask = study(spec)
    n = d.shape[0]
    df = n - 1
    u = stats.t.isf(stats.norm.sf(spec["z"]), df)
    st = ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[spec["connectivity"]])
    signs = sign_flips(n, spec["permutations"])
    vol = np.zeros(mask.shape)
    maxT, maxE, maxM = [], [], []
    for chunk in range(0, len(signs), 64):
        t = permuted_t(d, signs[chunk:chunk + 64])
        for tp in t:
            maxT.append(float(tp.max()))
            vol[mask] = tp
            lab, nc = ndimage.label(vol >= u, st)
            if nc == 0:
                maxE.append(0)
                maxM.append(0.0)
                continue
            maxE.append(int(np.bincount(lab.ravel())[1:].max()))
            maxM.append(float(np.bincount(lab.ravel(), weights=vol.ravel())[1:].max()))
    return {"permutations": len(maxT), "maxT0": maxT[0], "maxExtent0": maxE[0], "maxMass0": maxM[0], "voxels": int(mask.sum())}


def mne_peer(spec):
    """MNE-Python's permutation_cluster_1samp_test on the same differences (regular lattice
    adjacency: face neighbours), the cluster-forming t of z, one-sided, every sign flip."""
    import mne

    d, mask = study(spec)
    n = d.shape[0]
    u = stats.t.isf(stats.norm.sf(spec["z"]), n - 1)
    X = np.zeros((n,) + mask.shape)
    X[:, mask] = d
    mne.set_log_level("ERROR")
    t_obs, clusters, p, h0 = mne.stats.permutation_cluster_1samp_test(X, threshold=u, n_permutations=spec["permutations"], tail=1, adjacency=None, out_type="indices", seed=0, n_jobs=1)
    return {"clusters": len(clusters), "permutations": int(len(h0)), "minP": float(p.min()) if len(p) else None}


def tfce_peer(spec):
    """TFCE per permutation level by level (FSL's defaults: E 0.5, H 2, 6 neighbours, dh = the
    unpermuted max t / 100): at each h_k the component sizes of {t >= h_k} by scipy.ndimage.label.
    Runs the first timedPermutations and scales their CPU time to the whole count."""
    d, mask = study(spec)
    n = d.shape[0]
    signs = sign_flips(n, spec["permutations"])
    st = ndimage.generate_binary_structure(3, 1)
    t = permuted_t(d, signs[:1])[0]
    step = t.max() / 100
    vol = np.zeros(mask.shape)
    k = spec["timedPermutations"]
    t0 = time.process_time()
    maxima = []
    for tp in permuted_t(d, signs[:k]):
        vol[mask] = tp
        out = np.zeros(mask.shape)
        h = step
        while h <= vol.max():
            lab, nc = ndimage.label(vol >= h, st)
            sizes = np.bincount(lab.ravel()).astype(np.float64)
            sizes[0] = 0
            out += np.sqrt(sizes[lab]) * h * h
            h += step
        maxima.append(float(out.max()))
    per = (time.process_time() - t0) / k
    return {"timed": k, "secondsPerPermutation": per, "scaledPermutations": len(signs), "extraSeconds": per * (len(signs) - k), "maxTfce0": maxima[0]}


def glm_peer(spec):
    """G5: a vectorised numpy Freedman-Lane (Winkler et al. 2014) for a model's t-contrasts and
    F-tests: the null model's residuals E once per test, then for a batch of random permutations the
    codes Q'P_j (Q an orthonormal basis of the model, effect part first) times E by one BLAS product,
    RSS and t or F per voxel, and scipy.ndimage.label per permutation for the max cluster extent.
    SPEC: {"maps": [...], "design": [[...]], "contrasts": [[...]], "fTests": [[0-based]], "z", "connectivity", "permutations"}"""
    from scipy.linalg import null_space

    maps = [np.asarray(nib.load(f).dataobj, dtype=np.float32) for f in spec["maps"]]
    mask = np.ones(maps[0].shape, bool)
    for m in maps:
        mask &= np.isfinite(m) & (m != 0)
    y = np.stack([m[mask] for m in maps]).astype(np.float64)
    keep = ((y - y.mean(0)) ** 2).sum(0) > 0
    mask[mask] = keep
    y = y[:, keep]
    m = np.asarray(spec["design"], dtype=np.float64)
    cons = np.asarray(spec["contrasts"], dtype=np.float64)
    n, p = m.shape
    df = n - np.linalg.matrix_rank(m)
    pm = np.linalg.pinv(m)
    st = ndimage.generate_binary_structure(3, {6: 1, 18: 2, 26: 3}[spec["connectivity"]])
    rng = np.random.default_rng(0)
    perms = [np.arange(n)] + [rng.permutation(n) for _ in range(spec["permutations"] - 1)]
    tests = [("t", cons[k : k + 1]) for k in range(len(cons))] + [("F", cons[f]) for f in spec.get("fTests", [])]
    vol = np.zeros(mask.shape)
    out = []
    for kind, c in tests:
        s = c.shape[0]
        z = m @ null_space(c)
        qz = np.linalg.svd(z, full_matrices=False)[0] if z.shape[1] else np.zeros((n, 0))
        e = y - qz @ (qz.T @ y)
        w = pm.T @ c.T
        qx = w / np.linalg.norm(w) if s == 1 else np.linalg.svd(w, full_matrices=False)[0]
        q = np.hstack([qx, qz])
        r = q.shape[1]
        ss = (e * e).sum(0)
        u = stats.t.isf(stats.norm.sf(spec["z"]), df) if kind == "t" else stats.f.isf(stats.norm.sf(spec["z"]), s, df)
        max_stat, max_extent = [], []
        for start in range(0, len(perms), 16):
            batch = perms[start : start + 16]
            codes = np.zeros((len(batch) * r, n))
            for j, pi in enumerate(batch):
                codes[j * r : (j + 1) * r, pi] = q.T
            a = (codes @ e).reshape(len(batch), r, -1)
            rss = np.maximum(ss - (a * a).sum(1), 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                stat = a[:, 0] / np.sqrt(rss / df) if kind == "t" else (a[:, :s] ** 2).sum(1) / s / (rss / df)
            stat = np.nan_to_num(stat, nan=0.0, posinf=0.0, neginf=0.0)
            for sp in stat:
                max_stat.append(float(sp.max()))
                vol[mask] = sp
                lab, nc = ndimage.label(vol >= u, st)
                max_extent.append(int(np.bincount(lab.ravel())[1:].max()) if nc else 0)
        out.append({"kind": kind, "maxStat0": max_stat[0], "maxExtent0": max_extent[0]})
    return {"voxels": int(mask.sum()), "permutations": len(perms), "tests": out}


if __name__ == "__main__":
    spec = json.load(open(sys.argv[2]))
    t0 = time.perf_counter()
    result = {"numpy": numpy_peer, "mne": mne_peer, "tfce": tfce_peer, "glm": glm_peer}[sys.argv[1]](spec)
    json.dump({"seconds": time.perf_counter() - t0, "result": result}, sys.stdout)
