#!/usr/bin/env python3
"""Reference ROI sphere means in numpy: voxels whose centre (through the affine) is within the radius.

usage: numpy_roi.py MAP x,y,z,r ...
Prints JSON: for each sphere, the voxel count (finite values) and their mean.
"""
import json
import sys

import nibabel as nib
import numpy as np


def main() -> None:
    img = nib.load(sys.argv[1])
    data = img.get_fdata(dtype=np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    ijk = np.indices(data.shape, dtype=np.float64).reshape(3, -1)
    mm = img.affine[:3, :3] @ ijk + img.affine[:3, 3:4]
    flat = data.reshape(-1).astype(np.float64)
    out = []
    for spec in sys.argv[2:]:
        x, y, z, r = (float(v) for v in spec.split(","))
        inside = ((mm[0] - x) ** 2 + (mm[1] - y) ** 2 + (mm[2] - z) ** 2) <= r * r + 1e-9
        vals = flat[inside]
        vals = vals[np.isfinite(vals)]
        out.append({"center": [x, y, z], "radiusMm": r, "voxels": int(vals.size), "mean": float(vals.mean()) if vals.size else None})
    json.dump({"rois": out}, sys.stdout)


if __name__ == "__main__":
    main()
