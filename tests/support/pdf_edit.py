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


def replace_text(source: Path, target: Path, old: bytes, new: bytes, count: int = 1,
                 skip: int = 0) -> int:
    """Replace `count` occurrences of `old` in the content streams, after the first `skip`;
    return how many."""
    data = source.read_bytes()
    out = bytearray()
    position = 0
    done = 0
    seen = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        length = _length(match.group("dict"))
        body_start = match.end()
        body = data[body_start:body_start + length]
        plain = _decoded(match.group("dict"), body)
        if plain is None or done >= count or old not in plain:
            continue
        pieces = plain.split(old)
        rebuilt = pieces[0]
        for piece in pieces[1:]:
            if seen >= skip and done < count:
                rebuilt += new
                done += 1
            else:
                rebuilt += old
            seen += 1
            rebuilt += piece
        if rebuilt == plain:
            continue
        header = re.sub(rb"/Filter\s*(\[[^\]]*\]|/FlateDecode)", b"", match.group("dict"))
        header = re.sub(rb"/Length\s+\d+", b"/Length %d" % len(rebuilt), header)
        out += data[position:match.start()] + b"<<" + header + b">>\nstream\n" + rebuilt
        position = body_start + length
    out += data[position:]
    target.write_bytes(bytes(out))
    return done


def _decoded(header: bytes, body: bytes) -> bytes | None:
    ascii85 = b"/ASCII85Decode" in header
    try:
        raw = base64.a85decode(body.strip().removesuffix(b"~>")) if ascii85 else body
        return zlib.decompress(raw)
    except (zlib.error, ValueError):
        return None


def replace_shown(source: Path, target: Path, old: str, new: str, skip: int = 0,
                  whole: bool = False) -> int:
    """Replace text as a reader sees it (Cyrillic included): both strings are encoded by each
    of the PDF's font subsets (their /ToUnicode maps), and the first subset whose encoding of
    `old` occurs in a content stream is used. `new` must use only characters that subset has
    (a forger rearranges the glyphs already there). `whole`: only a drawn string that is
    exactly `old`."""
    from reportlab.lib.rl_accel import escapePDF

    for mapping in _unicode_maps(source.read_bytes()):
        if not all(c in mapping for c in old + new):
            continue
        encoded_old = escapePDF(bytes(mapping[c] for c in old)).encode("latin-1")
        encoded_new = escapePDF(bytes(mapping[c] for c in new)).encode("latin-1")
        if whole:
            encoded_old, encoded_new = b"(" + encoded_old + b")", b"(" + encoded_new + b")"
        done = replace_text(source, target, encoded_old, encoded_new, skip=skip)
        if done:
            return done
    return 0


_FONT = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_CHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>")


def _length(dictionary: bytes) -> int:
    """A stream's /Length; this module edits only PDFs whose streams state it directly."""
    found = re.search(rb"/Length\s+(\d+)", dictionary)
    if found is None:
        raise ValueError(f"a stream without a direct /Length: {dictionary[:80]!r}")
    return int(found.group(1))


def _unicode_maps(data: bytes) -> list[dict[str, int]]:
    maps = []
    for number in dict.fromkeys(_FONT.findall(data)):
        found = re.search(rb"\n" + number + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S)
        if found is None:
            continue
        length = _length(found.group(1))
        body = data[found.end():found.end() + length]
        plain = _decoded(found.group(1), body) if b"Flate" in found.group(1) else body
        if plain is None:
            continue
        maps.append({chr(int(uni, 16)): int(code, 16) for code, uni in _CHAR.findall(plain)})
    return maps
