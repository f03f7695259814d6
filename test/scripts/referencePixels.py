#!/usr/bin/python3
"""Reference decodes for the conformance test: every frame of every file pydicom can decode, written as .npy.

usage: referencePixels.py OUT_DIR FILE...
Writes OUT_DIR/<n>.npy (frames × rows × columns [× samples], stored values, colour as RGB) and prints one JSON line
per file: {"file", "ok", "npy", "shape", "photometric", "decoder"} or {"file", "ok": false, "error"}.
Files pydicom cannot decode itself (JPEG-LS, 12-bit JPEG) are first decompressed with DCMTK (dcmdjpls, dcmdjpeg)
when it is installed, and the decompressed copy is read. Independent of Lucid's code: pydicom, Pillow and DCMTK.
"""
import json, os, subprocess, sys, tempfile, warnings

warnings.simplefilter("ignore")
import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import convert_color_space

DCMTK = {"1.2.840.10008.1.2.4.80": "dcmdjpls", "1.2.840.10008.1.2.4.81": "dcmdjpls",
         "1.2.840.10008.1.2.4.51": "dcmdjpeg", "1.2.840.10008.1.2.4.57": "dcmdjpeg", "1.2.840.10008.1.2.4.70": "dcmdjpeg",
         "1.2.840.10008.1.2.4.50": "dcmdjpeg", "1.2.840.10008.1.2.5": "dcmdrle"}


def frames_of(ds):
    a = ds.pixel_array
    n = int(getattr(ds, "NumberOfFrames", 1) or 1)
    spp = int(getattr(ds, "SamplesPerPixel", 1))
    if n == 1:
        a = a[np.newaxis]
    pi = str(ds.PhotometricInterpretation)
    if spp == 3 and pi.startswith("YBR_FULL"):
        a = np.stack([convert_color_space(f, pi, "RGB") for f in a])
        pi = "RGB"
    return a, pi


def main():
    out, files = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    for k, path in enumerate(files):
        rec = {"file": os.path.basename(path)}
        try:
            ds = pydicom.dcmread(path)
            decoder = "pydicom"
            try:
                a, pi = frames_of(ds)
            except Exception:
                tool = DCMTK.get(str(ds.file_meta.TransferSyntaxUID))
                if not tool:
                    raise
                with tempfile.TemporaryDirectory() as tmp:
                    dec = os.path.join(tmp, "d.dcm")
                    subprocess.run([tool, path, dec], check=True, capture_output=True)
                    ds = pydicom.dcmread(dec)
                    a, pi = frames_of(ds)
                decoder = tool + " + pydicom"
            npy = os.path.join(out, f"{k}.npy")
            np.save(npy, np.ascontiguousarray(a.astype(a.dtype.newbyteorder("<"))))
            rec.update(ok=True, npy=npy, shape=list(a.shape), photometric=pi, decoder=decoder)
        except Exception as e:  # a file the references cannot read either: the test skips comparing it
            rec.update(ok=False, error=f"{type(e).__name__}: {str(e)[:120]}")
        print(json.dumps(rec), flush=True)


main()
