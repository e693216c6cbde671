"""Data files shipped with the console: fonts, locale catalogs, the operator API document."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
