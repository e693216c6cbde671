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


def docs_folder() -> Path:
    """TM Forum's published v4 documents (*.swagger.json): $TMF_DOCS, else the `v4` folder
    beside the kits' ($TMF_KITS/../v4), else ../shared/tmf/v4 beside the project."""
    configured = os.environ.get("TMF_DOCS")
    if configured:
        return Path(configured)
    kits = os.environ.get("TMF_KITS")
    return Path(kits).parent / "v4" if kits else ROOT.parent / "shared" / "tmf" / "v4"
