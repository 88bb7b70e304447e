#!/usr/bin/env python3
"""Reference for FSL `smoothest -z ZMAP -m MASK`, reimplemented in numpy from FSL's smoothest.cc.

usage: numpy_smoothest.py ZMAP [MASK]
Prints JSON: dlh, volume and resels (smoothest's DLH, VOLUME and RESELS lines; RESELS is the size of
one resel in voxels), the FWHM per axis in voxels and mm, and the per-axis sums.

What smoothest.cc does for a z-map (one volume), as followed here:
- The image is read through FSL's newimage, which presents a neurological file (positive affine
  determinant) in radiological order: x reversed. The mask is read the same way.
- Mask: MASK > 0.5 when given; else the map's finite non-zero voxels (the SPEC's rule, what FEAT's
  mask is for a z-map). VOLUME counts the mask.
- A voxel (x, y, z), loops from 1 (z from 0 in 2D mode, when the image has one slice), counts when it
  and (x-1, y, z), (x, y-1, z), (x, y, z-1) are in the mask. Per axis
  SSminus += R(v) R(v-1) and S2 += 0.5 (R(v)^2 + R(v-1)^2), the products in float (R is a float volume),
  the sums in double.
- If SSminus >= 0.99999999 S2 it becomes 0.99999 S2 ("extreme smoothness").
- sigma^2 = -1 / (4 log |SSminus / S2|); DLH = (sx sy sz)^-0.5 8^-0.5 (2D: (sx sy)^-0.5 4^-0.5);
  FWHM = sqrt(8 log 2 sigma^2) voxels; RESELS = FWHMx FWHMy (FWHMz).
"""
import json
import math
import sys

import nibabel as nib
import numpy as np


def read_fsl_order(path):
    """First volume as float32, x reversed when the file is neurological (as newimage reads it)."""
    img = nib.load(path)
    data = np.asarray(img.get_fdata(dtype=np.float32), dtype=np.float32)
    if data.ndim > 3:
        data = data.reshape(data.shape[:3] + (-1,), order="F")[..., 0]
    while data.ndim < 3:
        data = data[..., None]
    if np.linalg.det(img.affine[:3, :3]) > 0:
        data = data[::-1, :, :]
    return data, img.header.get_zooms()[:3]


def smoothest(r, mask, zooms):
    usez = r.shape[2] > 1
    zs = slice(1, None) if usez else slice(0, None)
    here = (slice(1, None), slice(1, None), zs)
    back = {
        0: (slice(0, -1), slice(1, None), zs),
        1: (slice(1, None), slice(0, -1), zs),
        2: (slice(1, None), slice(1, None), slice(0, -1)),
    }
    axes = [0, 1, 2] if usez else [0, 1]
    counted = mask[here] & mask[back[0]] & mask[back[1]]
    if usez:
        counted &= mask[back[2]]
    rv = r[here][counted]
    ssminus, s2 = [], []
    for a in axes:
        rb = r[back[a]][counted]
        ssminus.append(float(np.sum((rv * rb).astype(np.float32), dtype=np.float64)))
        s2.append(float(np.sum(0.5 * (rv * rv + rb * rb).astype(np.float64), dtype=np.float64)))
    sigmasq = []
    for a in range(len(axes)):
        if ssminus[a] >= 0.99999999 * s2[a]:
            ssminus[a] = 0.99999 * s2[a]
        with np.errstate(all="ignore"):
            ratio = abs(np.float64(ssminus[a]) / np.float64(s2[a]))
            sigmasq.append(float(-1.0 / (4 * np.log(ratio))))
    with np.errstate(all="ignore"):
        prod = float(np.prod(sigmasq))
        dlh = float(np.float64(prod) ** -0.5 * (8 ** -0.5 if usez else 4 ** -0.5))
        fwhm = [float(np.sqrt(8 * math.log(2) * s)) for s in sigmasq]
    if not usez:
        fwhm.append(0.0)
    resels = fwhm[0] * fwhm[1] * (fwhm[2] if usez else 1.0)
    return {
        "dlh": dlh,
        "volume": int(mask.sum()),
        "resels": resels,
        "fwhmVoxels": fwhm,
        "fwhmMm": [f * float(z) for f, z in zip(fwhm, zooms)],
        "counted": int(counted.sum()),
        "ssminus": ssminus,
        "s2": s2,
    }


def finite_or_null(v):
    """JSON has no nan or inf: they become null (FSL would print nan or inf)."""
    if isinstance(v, dict):
        return {k: finite_or_null(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite_or_null(x) for x in v]
    return None if isinstance(v, float) and not math.isfinite(v) else v


def main() -> None:
    r, zooms = read_fsl_order(sys.argv[1])
    if len(sys.argv) > 2:
        m, _ = read_fsl_order(sys.argv[2])
        mask = m > 0.5
    else:
        mask = np.isfinite(r) & (r != 0)
    out = smoothest(r, mask, zooms)
    json.dump(finite_or_null(out), sys.stdout)


if __name__ == "__main__":
    main()
