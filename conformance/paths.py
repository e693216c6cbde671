"""Where the kits are read from and where their scratch copies and npm's cache go."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".conformance"  # ignored by git: scratch kits, npm's cache, logs


def kits_folder() -> Path:
    """$TMF_KITS, else ../shared/tmf/ctk beside the project (where CI lays shared/)."""
    configured = os.environ.get("TMF_KITS")
    return Path(configured) if configured else ROOT.parent / "shared" / "tmf" / "ctk"
