#!/usr/bin/env python3
"""Reference for the general linear model's unpermuted fit (../shared/SPEC.md "The general linear
model"): statsmodels OLS t_test and f_test at every voxel.

usage: glm_statsmodels.py CASE.json
CASE: {"design": [[...] n rows], "y": [[...] n rows of V], "contrasts": [[...]], "fTests": [[0-based contrast indices]]}
prints {"df": n - rank, "t": [[V] per contrast], "F": [[V] per F-test]}
"""
import json
import sys

import numpy as np
import statsmodels.api as sm


def main():
    case = json.load(open(sys.argv[1]))
    x = np.asarray(case["design"], dtype=np.float64)
    y = np.asarray(case["y"], dtype=np.float64)
    cons = np.asarray(case["contrasts"], dtype=np.float64)
    t = [[] for _ in cons]
    f = [[] for _ in case.get("fTests", [])]
    df = None
    for v in range(y.shape[1]):
        fit = sm.OLS(y[:, v], x).fit()
        df = fit.df_resid
        for k, c in enumerate(cons):
            t[k].append(float(np.asarray(fit.t_test(c.reshape(1, -1)).tvalue).ravel()[0]))
        for k, idx in enumerate(case.get("fTests", [])):
            f[k].append(float(np.asarray(fit.f_test(cons[idx]).fvalue).ravel()[0]))
    print(json.dumps({"df": df, "t": t, "F": f}))


if __name__ == "__main__":
    main()
