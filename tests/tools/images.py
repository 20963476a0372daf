"""Test images: real PNG files, small, made without an imaging library."""

from __future__ import annotations

import base64
import struct
import zlib


def png_base64(width: int, height: int) -> str:
    """A valid one-colour PNG of that size, base64-encoded as a notebook stores it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    return base64.b64encode(png + chunk(b"IEND", b"")).decode("ascii")
