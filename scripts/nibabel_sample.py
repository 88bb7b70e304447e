#!/usr/bin/env python3
"""Reference values from nibabel for the reader's tests.

usage: nibabel_sample.py FILE FRAME N_SAMPLES SEED
Prints JSON: dims, frames, affine, datatype, the finite min/max and NaN count of the frame,
and the values (float64, as get_fdata gives them) at N random flat indices (x fastest).
"""
import json
import sys

import nibabel as nib
import numpy as np


def main() -> None:
    path, frame, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    img = nib.load(path)
    shape = img.shape
    data = img.get_fdata()
    vol = data if data.ndim == 3 else data.reshape(shape[:3] + (-1,), order="F")[..., frame]
    flat = vol.ravel(order="F")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, flat.size, n)
    finite = np.isfinite(flat)
    out = {
        "dims": list(shape[:3]),
        "frames": int(np.prod(shape[3:])) if len(shape) > 3 else 1,
        "affine": img.affine.tolist(),
        "datatype": int(img.header["datatype"]),
        "min": float(flat[finite].min()),
        "max": float(flat[finite].max()),
        "argmin": int(np.argmin(np.where(finite, flat, np.inf))),
        "argmax": int(np.argmax(np.where(finite, flat, -np.inf))),
        "nanCount": int(np.isnan(flat).sum()),
        "indices": idx.tolist(),
        "values": [None if np.isnan(v) else float(v) for v in flat[idx]],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
