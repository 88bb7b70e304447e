#!/usr/bin/env python3
"""Reference paired statistics for a batch: numpy signature responses and scipy.stats tests.

usage: scipy_paired.py WEIGHTS PARTICIPANTS_TSV PRE_SESSION POST_SESSION FILE...
Prints JSON: per-subject dot responses (numpy, as numpy_signature.py), the paired t-test
(scipy.stats.ttest_rel), mean/SD/d_z/95% CI of the changes (numpy, scipy.stats.t), and Welch's test
of the two groups' changes (scipy.stats.ttest_ind, equal_var=False).
"""
import json
import os
import re
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(__file__))
from numpy_signature import load, same_grid, trilinear  # noqa: E402


def dot(w0, waff, path):
    x, xaff = load(path)
    w = w0 if same_grid(w0.shape, waff, x.shape, xaff) else trilinear(w0, waff, x.shape, xaff)
    w = w.astype(np.float64).ravel()
    x = x.astype(np.float64).ravel()
    s = np.isfinite(w) & (w != 0) & np.isfinite(x) & (x != 0)
    return float(w[s] @ x[s])


def main() -> None:
    wpath, tsv, pre_s, post_s, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    w0, waff = load(wpath)
    groups = {}
    with open(tsv) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            cells = line.rstrip("\n").split("\t")
            groups[cells[header.index("participant_id")]] = cells[header.index("group")]
    values = {}
    for path in files:
        m = re.search(r"sub-([A-Za-z0-9]+).*?_ses-([A-Za-z0-9]+)", os.path.basename(path))
        values.setdefault("sub-" + m.group(1), {})["ses-" + m.group(2)] = dot(w0, waff, path)
    subjects = sorted(s for s in values if pre_s in values[s] and post_s in values[s])
    pre = np.array([values[s][pre_s] for s in subjects])
    post = np.array([values[s][post_s] for s in subjects])
    d = post - pre
    n = len(d)
    t = stats.ttest_rel(post, pre)
    se = d.std(ddof=1) / np.sqrt(n)
    half = stats.t.ppf(0.975, n - 1) * se
    names = sorted(set(groups[s] for s in subjects))
    a = np.array([d[i] for i, s in enumerate(subjects) if groups[s] == names[0]])
    b = np.array([d[i] for i, s in enumerate(subjects) if groups[s] == names[1]])
    welch = stats.ttest_ind(a, b, equal_var=False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    wdf = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    whalf = stats.t.ppf(0.975, wdf) * np.sqrt(va + vb)
    out = {
        "subjects": subjects,
        "pre": pre.tolist(),
        "post": post.tolist(),
        "paired": {
            "n": n, "mean": float(d.mean()), "sd": float(d.std(ddof=1)), "t": float(t.statistic), "df": n - 1,
            "p": float(t.pvalue), "dz": float(d.mean() / d.std(ddof=1)), "ci95": [float(d.mean() - half), float(d.mean() + half)],
        },
        "groups": {
            "groups": names, "t": float(welch.statistic), "df": float(wdf), "p": float(welch.pvalue),
            "difference": float(a.mean() - b.mean()), "ci95": [float(a.mean() - b.mean() - whalf), float(a.mean() - b.mean() + whalf)],
        },
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
