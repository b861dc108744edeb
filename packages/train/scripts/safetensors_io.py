"""Minimal float32 safetensors writer shared by the Keras h5 converters in this folder.

Hand-written so the converters need only numpy and h5py (no `safetensors` package). The format
(huggingface/safetensors): an 8-byte little-endian header length N, then N bytes of JSON mapping
each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte offsets into the data
section that follows), then the raw little-endian tensor bytes. The JSON is padded with spaces so
the data section starts 8-byte aligned, which lets readers view it as float32 without copying.
"""
import json
import struct

import numpy as np


def write_safetensors(tensors, path):
    """Write {name: array} to `path` as F32 tensors, in sorted name order."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name], dtype="<f4")
        blob = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()  # json.dumps escapes non-ASCII, so bytes == characters
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)
