#!/usr/bin/env python3
"""Reference maximum-intensity projections (a glass brain's) of a thresholded map, in numpy.

usage: numpy_mip.py FILE THRESHOLD ONE|TWO
Prints JSON: for axis 0, 1, 2 the projection of frame 0 along that axis, flattened with the lower
remaining axis fastest (Fortran order, as NIfTI's x-fastest), null where no voxel passes: one-sided,
numpy's max of the voxels >= THRESHOLD; two-sided, the value of largest |v| among |v| >= THRESHOLD
(the first along the axis on a tie, as numpy's argmax). Also each axis's projection of the map's
finite non-zero voxels (its mask), 1 where any voxel along the axis is in it.
"""
import json
import sys

import nibabel as nib
import numpy as np


def main() -> None:
    path, t, sides = sys.argv[1], np.float32(float(sys.argv[2])), sys.argv[3]
    img = nib.load(path)
    data = np.asarray(img.get_fdata(dtype=np.float32), dtype=np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    out = {"values": [], "mask": []}
    with np.errstate(invalid="ignore"):
        passes = (data >= t) | ((data <= -t) if sides == "TWO" else False)
        mask = np.isfinite(data) & (data != 0)
    for axis in range(3):
        if sides == "TWO":
            score = np.where(passes, np.abs(data), -1.0)
            idx = np.expand_dims(np.argmax(score, axis=axis), axis)
            proj = np.take_along_axis(data, idx, axis=axis).squeeze(axis)
            proj = np.where(np.any(passes, axis=axis), proj, np.nan)
        else:
            proj = np.max(np.where(passes, data, -np.inf), axis=axis)
            proj = np.where(np.isneginf(proj), np.nan, proj)
        flat = proj.ravel(order="F")
        out["values"].append([None if np.isnan(v) else float(v) for v in flat])
        out["mask"].append([int(v) for v in np.any(mask, axis=axis).ravel(order="F")])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
