"""Is a printed PDF the document that was sent? cups-pdf re-renders what it prints (PDF →
PostScript → ghostscript), which keeps the page exactly but not always the text layer's
Cyrillic mapping; so the comparison is by page raster and by the Latin/digit words, and — for
a document in a standard font — by the whole text."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path


def text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout


def words(path: Path) -> str:
    """The text with all runs of white space made one space."""
    return " ".join(text(path).split())


def ascii_tokens(path: Path) -> Counter[str]:
    return Counter(re.findall(r"[A-Za-z0-9]+", text(path)))


def page_count(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True,
                          timeout=60)
    found = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    if found is None:
        raise AssertionError(f"pdfinfo gave no page count for {path}: {done.stdout!r}")
    return int(found.group(1))


def raster(path: Path, target: Path, page: int = 1, dpi: int = 50) -> Path:
    """Page `page` as a grayscale PNG (pdftoppm)."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray",
                    "-png", "-singlefile", str(path), str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


def differing_share(first: Path, second: Path, folder: Path, page: int = 1) -> float:
    """The share of pixels of page `page` that differ by more than a quarter of the range."""
    from PIL import Image, ImageChops

    a = Image.open(raster(first, folder / "first", page)).convert("L")
    b = Image.open(raster(second, folder / "second", page)).convert("L")
    if a.size != b.size:
        return 1.0
    histogram = ImageChops.difference(a, b).histogram()
    return sum(histogram[64:]) / sum(histogram)
