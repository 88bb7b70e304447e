#!/usr/bin/env python3
"""Reference for AFNI's per-frame labels and statistics in a NIfTI header extension (ecode 4).

usage: nibabel_afni_frames.py FILE
Prints JSON: {labels: [...] | null, statsym: [...] | null, frames}: nibabel finds the extension, the
XML is parsed by Python's ElementTree, BRICK_LABS split at "~" and BRICK_STATSYM at ";".
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

import nibabel as nib


def string_value(el):
    """An AFNI String attribute: its quoted pieces joined (ElementTree has already unescaped entities)."""
    pieces = re.findall(r'"([^"]*)"', el.text or "")
    return "".join(pieces)


def main() -> None:
    img = nib.load(sys.argv[1])
    frames = int(img.shape[3]) if len(img.shape) > 3 else 1
    out = {"labels": None, "statsym": None, "frames": frames}
    for ext in img.header.extensions:
        if ext.get_code() != 4:
            continue
        root = ET.fromstring(ext.get_content().rstrip(b"\0"))
        for el in root.iter("AFNI_atr"):
            name = el.get("atr_name")
            if name == "BRICK_LABS":
                out["labels"] = string_value(el).split("~")
            elif name == "BRICK_STATSYM":
                out["statsym"] = string_value(el).split(";")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
