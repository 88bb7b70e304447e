"""Reference for the figure's slice coordinates: the mm of voxel slices through nibabel's affine.

Usage: nibabel_slice_mm.py MAP.nii.gz VIEW INDEX...  (VIEW: axial | coronal | sagittal)
Prints {"mm": [...]}: for each slice index along the voxel axis that runs most nearly along the view's
world axis, that world coordinate of the slice's centre voxel (the other voxel axes at their middle).
"""
import json
import sys

import nibabel as nib
import numpy as np
from nibabel.affines import apply_affine

path, view, *indices = sys.argv[1:]
img = nib.load(path)
aff = img.affine
dims = np.array(img.shape[:3])
world = {"sagittal": 0, "coronal": 1, "axial": 2}[view]
cols = aff[:3, :3]
share = np.abs(cols[world, :]) / np.linalg.norm(cols, axis=0)
axis = int(np.argmax(share))
out = []
for i in indices:
    v = (dims - 1) / 2.0
    v[axis] = int(i)
    out.append(float(apply_affine(aff, v)[world]))
print(json.dumps({"mm": out, "axis": axis}))
