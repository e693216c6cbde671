"""Printing for the command groups: JSON as the README documents it (UTF-8, not escaped)."""

from __future__ import annotations

import json
from typing import Any, TextIO


def print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
