"""The floor a PDF writer is measured against (DESIGN §9): rows of text written straight into
page content streams by hand, with no PDF library — the least work a writer of the same pages
can do in Python.

What it writes: A4 pages of 80 rows, each row's five cell texts at fixed x positions in DejaVu
Sans 7.5 pt (the detalization's font and size), one zlib-compressed content stream per page,
the font embedded once as a Type 0 font (Identity-H, the whole TrueType file, the widths and a
ToUnicode map of the characters used, so viewers and pdftotext read it like the console's).
Each cell is encoded with one `str.translate` into hex glyph ids and placed with its own text
matrix. No hash, no QR, no summary: only the rows. A baseline for benchmarks, not product code.

It takes the rows as they come (an iterable), so the benchmark can hand it the report's rows
with the cell texts made as it reads them (`map(row_texts, rows)`): the floor then does what
every writer of these pages must — turn the records into text, once — and nothing more.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile

from printing.fonts import font_path

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 in points
XS = ("28", "114", "174", "394", "520")
ROWS_PER_PAGE = 80
SIZE = "7.5"
LEADING = 9.4


def write_rows(rows: Iterable[Sequence[str]], path: Path) -> None:
    """Pages of `rows` (five cell texts each, read as they come) at `path`."""
    face = TTFontFile(str(font_path("DejaVuSans.ttf")))
    to_glyph = face.charToGlyph
    used: dict[int, int] = {}  # glyph id → character (for the widths and ToUnicode)

    class Glyphs(dict[int, str]):
        """Character → its glyph id in hex, for str.translate (filled as met)."""

        def __missing__(self, char: int) -> str:
            glyph = to_glyph.get(char, 0)
            used[glyph] = char
            self[char] = found = f"{glyph:04X}"
            return found

    table = Glyphs()
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        return (f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data
                + b"\nendstream")

    catalog = add(b"")  # filled in last: the page tree's number is known then
    pages_id = add(b"")
    font_id = add(b"")
    page_ids = []
    read = iter(rows)
    while page := list(islice(read, ROWS_PER_PAGE)):
        lines = [f"BT /F1 {SIZE} Tf"]
        y = PAGE_H - 58
        for row in page:
            ys = f"{y:.2f}"
            for x, cell in zip(XS, row, strict=True):
                lines.append(f"1 0 0 1 {x} {ys} Tm <{cell.translate(table)}> Tj")
            y -= LEADING
        lines.append("ET")
        content = add(stream(zlib.compress("\n".join(lines).encode()), " /Filter /FlateDecode"))
        page_ids.append(add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content} 0 R >>"
            .encode()))
    kids = " ".join(f"{n} 0 R" for n in page_ids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()

    font_file = Path(face.filename).read_bytes()
    file_id = add(stream(zlib.compress(font_file),
                         f" /Length1 {len(font_file)} /Filter /FlateDecode"))
    bbox = " ".join(str(round(v)) for v in face.bbox)
    descriptor = add(
        f"<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 4 /FontBBox [{bbox}] "
        f"/ItalicAngle 0 /Ascent {round(face.ascent)} /Descent {round(face.descent)} "
        f"/CapHeight {round(face.capHeight)} /StemV 87 /FontFile2 {file_id} 0 R >>".encode())
    widths = " ".join(f"{glyph} [{round(face.charWidths.get(char, 0))}]"
                      for glyph, char in sorted(used.items()))
    cid_font = add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo "
        f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
        f"{descriptor} 0 R /CIDToGIDMap /Identity /W [{widths}] >>".encode())
    mapped = sorted(used.items())
    blocks = []
    for start in range(0, len(mapped), 100):  # at most 100 entries a block
        part = mapped[start:start + 100]
        pairs = "\n".join(f"<{glyph:04X}> <{char:04X}>" for glyph, char in part)
        blocks.append(f"{len(part)} beginbfchar\n{pairs}\nendbfchar")
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo "
            "<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity"
            "-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{' '.join(blocks)} endcmap CMapName currentdict "
            "/CMap defineresource pop end end").encode()
    to_unicode = add(stream(cmap))
    objects[font_id - 1] = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode())

    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(out.tell())
            out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
        out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
        out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\n"
                  f"startxref\n{xref}\n%%EOF\n".encode())
