"""Editing a PDF the way a forger would: change text in a page's content stream.

ReportLab writes streams ASCII85- and Flate-encoded, and TrueType text with ASCII-readable
subset codes, so an amount such as 750,00 is literally `(750,00) Tj` in the decoded stream.
The edited streams are stored uncompressed with their new /Length; the cross-reference
offsets go stale, which viewers (and poppler) repair when they open the file, as they
would for a hand-edited PDF.
"""

from __future__ import annotations

import base64
import re
import zlib
from pathlib import Path

_STREAM = re.compile(rb"<<(?P<dict>(?:(?!>>).)*?/Filter\s*(?:\[[^\]]*/FlateDecode[^\]]*\]|"
                     rb"/FlateDecode)(?:(?!>>).)*?)>>\s*stream\r?\n", re.S)


def replace_text(source: Path, target: Path, old: bytes, new: bytes, count: int = 1) -> int:
    """Replace the first `count` occurrences of `old` in the content streams; return how many."""
    data = source.read_bytes()
    out = bytearray()
    position = 0
    done = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        length = int(re.search(rb"/Length\s+(\d+)", match.group("dict")).group(1))
        body_start = match.end()
        body = data[body_start:body_start + length]
        ascii85 = b"/ASCII85Decode" in match.group("dict")
        try:
            raw = base64.a85decode(body.strip().removesuffix(b"~>")) if ascii85 else body
            plain = zlib.decompress(raw)
        except (zlib.error, ValueError):
            continue
        if done < count and old in plain:
            times = min(plain.count(old), count - done)
            plain = plain.replace(old, new, times)
            done += times
            header = re.sub(rb"/Filter\s*(\[[^\]]*\]|/FlateDecode)", b"", match.group("dict"))
            header = re.sub(rb"/Length\s+\d+", b"/Length %d" % len(plain), header)
            out += data[position:match.start()] + b"<<" + header + b">>\nstream\n" + plain
            position = body_start + length
    out += data[position:]
    target.write_bytes(bytes(out))
    return done
