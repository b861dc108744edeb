"""Minimal safetensors reader and writer shared by the scripts in this folder.

Hand-written so the scripts need only numpy (no `safetensors` package). The format
(huggingface/safetensors): an 8-byte little-endian header length N, then N bytes of JSON mapping
each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte offsets into the data
section that follows) plus an optional "__metadata__" object of strings, then the raw
little-endian tensor bytes. The JSON is padded with spaces so the data section starts 8-byte
aligned, which lets readers view it as float32 without copying.
"""
import json
import os
import struct

import numpy as np

_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I32": "<i4", "I64": "<i8", "U8": "u1"}


def write_safetensors(tensors, path, metadata=None):
    """Write {name: array} to `path` as F32 tensors, in sorted name order, atomically."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name], dtype="<f4")
        blob = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()  # json.dumps escapes non-ASCII, so bytes == characters
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)
    os.replace(tmp, path)


def read_safetensors(path):
    """Read `path` into ({name: numpy array}, {metadata key: string}); errors name the file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: not a safetensors file (only %d bytes)" % (path, len(data)))
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError("%s: header length %d exceeds the file size %d (truncated?)" % (path, n, len(data)))
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, entry in header.items():
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError("%s: tensor %r has unsupported dtype %s" % (path, name, entry["dtype"]))
        begin, end = entry["data_offsets"]
        if not 0 <= begin <= end <= len(body):
            raise ValueError("%s: tensor %r spans bytes outside the data section (truncated?)" % (path, name))
        array = np.frombuffer(body[begin:end], dtype=dtype)
        if array.size != int(np.prod(entry["shape"])):
            raise ValueError("%s: tensor %r has %d values for shape %s" % (path, name, array.size, entry["shape"]))
        tensors[name] = array.reshape(entry["shape"])
    return tensors, metadata
