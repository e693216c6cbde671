"""Cyrillic for ReportLab: DejaVu Sans (regular and bold) shipped in resources/fonts.

Every PDF the console writes calls `register_cyrillic_fonts()` and uses the names it returns;
ReportLab's built-in Helvetica has no Cyrillic glyphs.
"""

from __future__ import annotations

import threading
from importlib.resources import files
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# Debian's fonts-dejavu-core, should a packaged console lack its own copy.
_SYSTEM = Path("/usr/share/fonts/truetype/dejavu")
_lock = threading.Lock()


def font_path(file_name: str) -> Path:
    shipped = Path(str(files("resources") / "fonts" / file_name))
    if shipped.is_file():
        return shipped
    if (_SYSTEM / file_name).is_file():
        return _SYSTEM / file_name
    raise FileNotFoundError(
        f"the font {file_name} is missing from resources/fonts and {_SYSTEM}; "
        "reinstall the console or install Debian's fonts-dejavu-core"
    )


def register_cyrillic_fonts() -> tuple[str, str]:
    """Register DejaVu Sans with ReportLab once per process; return (regular, bold) names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, file_name in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
