#!/usr/bin/env python3
"""Reference for GRF on a t- or F-map through its z-equivalent (../shared/SPEC.md), in numpy/scipy.

usage: numpy_grf_zequiv.py FILE THRESHOLD DF [DF2]
Prints JSON: u (the z of THRESHOLD with the same one-sided p), the z-map's smoothness as FSL's
`smoothest -z` gives it (scripts/numpy_smoothest.py on the map converted voxelwise to z, as FSL's
ttoz / ftoz would), and the positive 26-connected clusters at value >= THRESHOLD, largest first, each
with voxels, GRF p (Friston et al. 1994, as FSL: the SPEC's formula), the peak value, its
z-equivalent, and the peak-level FWE p: 1 - exp(-R3 rho3(peak)), R3 = V DLH / (4 ln 2)^1.5, rho3 the
Euler characteristic density of the t-field (Worsley et al. 1996; SPM's spm_ECdensity) or of the
Gaussian field (z), null for F.
"""
import json
import math
import os
import sys

import numpy as np
from scipy import ndimage, stats
from scipy.special import gamma, ndtri_exp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_smoothest import read_fsl_order, smoothest  # noqa: E402


def z_of(values, df, df2):
    """z with each value's one-sided p, sign kept for t; 0 stays 0 (outside the mask)."""
    v = np.asarray(values, dtype=np.float64)
    if df2 is None:
        logp = stats.t.logsf(np.abs(v), df)
        z = -ndtri_exp(logp) * np.sign(v)
    else:
        with np.errstate(all="ignore"):
            z = np.where(v > 0, -ndtri_exp(stats.f.logsf(np.where(v > 0, v, 1.0), df, df2)), np.where(v == 0, 0.0, np.nan))
    return np.where(v == 0, 0.0, z)


def grf_p(k, u, dlh, volume):
    em = volume * dlh * (2 * math.pi) ** -2 * (u * u - 1) * math.exp(-u * u / 2)
    beta = (gamma(2.5) * em / (volume * stats.norm.sf(u))) ** (2 / 3)
    return float(-np.expm1(-em * np.exp(-beta * k ** (2 / 3))))


def peak_fwe(peak, df, df2, dlh, volume):
    if df2 is not None:
        return None
    r3 = volume * dlh / (4 * math.log(2)) ** 1.5
    front = (4 * math.log(2)) ** 1.5 / (2 * math.pi) ** 2
    rho = front * ((df - 1) * peak * peak / df - 1) * (1 + peak * peak / df) ** (-(df - 1) / 2)
    ec = r3 * rho
    return 1.0 if ec <= 0 else float(min(1.0, -np.expm1(-ec)))


def main() -> None:
    path, threshold, df = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    df2 = float(sys.argv[4]) if len(sys.argv) > 4 else None
    t_fsl, zooms = read_fsl_order(path)
    z = z_of(t_fsl, df, df2).astype(np.float32)
    mask = np.isfinite(z) & (z != 0)
    sm = smoothest(z, mask, zooms)
    u = float(z_of([threshold], df, df2)[0])
    # Clusters on the file's own order (x reversal changes no cluster).
    data = np.asarray(read_fsl_order(path)[0], dtype=np.float32)
    labels, n = ndimage.label(data >= np.float32(threshold), structure=np.ones((3, 3, 3)))
    counts = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    peaks = ndimage.maximum(data, labels, index=np.arange(1, n + 1)) if n else []
    clusters = []
    for c in range(n):
        peak = float(peaks[c])
        clusters.append({
            "voxels": int(counts[c]),
            "p": grf_p(int(counts[c]), u, sm["dlh"], sm["volume"]),
            "peak": peak,
            "peakZ": float(z_of([peak], df, df2)[0]),
            "peakPFwe": peak_fwe(peak, df, df2, sm["dlh"], sm["volume"]),
        })
    clusters.sort(key=lambda c: (-c["voxels"], -c["peak"]))
    json.dump({"u": u, "dlh": sm["dlh"], "volume": sm["volume"], "fwhmVoxels": sm["fwhmVoxels"], "clusters": clusters}, sys.stdout)


if __name__ == "__main__":
    main()
