"""Reference tails and inverses of z, t and F from scipy.stats (float64).

usage: scipy_distributions.py QUERIES_JSON  where QUERIES_JSON is a list of
{"dist": "norm"|"t"|"f", "x": value or null, "p": value or null, "df": [..]}; prints the list with
"sf" (P(X > x)) or "isf" (the x whose upper tail is p) filled in.
"""
import json
import sys

from scipy import stats


def dist(q):
    if q["dist"] == "norm":
        return stats.norm()
    if q["dist"] == "t":
        return stats.t(q["df"][0])
    return stats.f(q["df"][0], q["df"][1])


out = []
for q in json.loads(sys.argv[1]):
    d = dist(q)
    r = dict(q)
    if q.get("x") is not None:
        r["sf"] = float(d.sf(q["x"]))
    if q.get("p") is not None:
        r["isf"] = float(d.isf(q["p"]))
    out.append(r)
print(json.dumps(out))
