#!/usr/bin/env python3
"""Reference study statistics for a batch document (SPEC "Study statistics"), from scipy.stats.

usage: scipy_association.py INPUT_JSON, a file holding {"tsv": participants.tsv path, "covariates":
[COL, ...], "pair": [PRE, POST], "subjects": the batch document's subjects}. Reads participants.tsv
itself: a covariate is the column COL, or else COL_<post> - COL_<pre> (sessions less "ses-"); empty,
"n/a" and non-numbers are missing, and such subjects are left out. Prints JSON: for each covariate and
measure (signature, then each ROI) n, missing, scipy.stats.spearmanr and pearsonr; for the groups
(participants' group column) scipy.stats.f_oneway of the changes and each group's ttest_rel.
"""
import csv
import json
import sys

import numpy as np
from scipy import stats


def number(cell):
    try:
        v = float(cell)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def main():
    spec = json.load(open(sys.argv[1]))
    with open(spec["tsv"], newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    table = {(r["participant_id"] if r["participant_id"].startswith("sub-") else "sub-" + r["participant_id"]): r for r in rows}
    pre, post = (s[4:] if s.startswith("ses-") else s for s in spec["pair"])
    subjects = spec["subjects"]
    rois = [r["name"] for r in subjects[0]["pre"]["rois"]] if subjects else []

    def change(s, measure):
        if measure == "signature":
            return s["post"]["value"] - s["pre"]["value"]
        k = rois.index(measure)
        a, b = s["post"]["rois"][k]["mean"], s["pre"]["rois"][k]["mean"]
        return None if a is None or b is None else a - b

    def covariate(subject, name):
        row = table.get(subject, {})
        if name in row:
            return number(row[name])
        a, b = number(row.get(f"{name}_{post}")), number(row.get(f"{name}_{pre}"))
        return None if a is None or b is None else a - b

    correlations = []
    for name in spec["covariates"]:
        for measure in ["signature", *rois]:
            pairs = [(change(s, measure), covariate(s["subject"], name)) for s in subjects]
            ok = [(x, y) for x, y in pairs if x is not None and y is not None]
            x, y = np.array([p[0] for p in ok]), np.array([p[1] for p in ok])
            rho, sp = stats.spearmanr(x, y)
            r, pp = stats.pearsonr(x, y)
            correlations.append(dict(measure=measure, covariate=name, n=len(ok), missing=len(pairs) - len(ok),
                                     spearman=dict(rho=float(rho), p=float(sp)), pearson=dict(r=float(r), p=float(pp))))
    names = sorted({s["group"] for s in subjects if s["group"] is not None})
    members = [[s for s in subjects if s["group"] == g] for g in names]
    changes = [[s["post"]["value"] - s["pre"]["value"] for s in m] for m in members]
    anova = stats.f_oneway(*changes) if len(names) >= 3 else None
    by_group = []
    for g, m in zip(names, members):
        t = stats.ttest_rel([s["post"]["value"] for s in m], [s["pre"]["value"] for s in m])
        by_group.append(dict(group=g, n=len(m), t=float(t.statistic), p=float(t.pvalue)))
    print(json.dumps(dict(
        correlations=correlations,
        anova=None if anova is None else dict(F=float(anova.statistic), df1=len(names) - 1, df2=sum(map(len, changes)) - len(names), p=float(anova.pvalue)),
        byGroup=by_group,
    )))


main()
