"""Print the sandbox's OpenAPI document: `python -m sandbox.openapi > resources/openapi.json`.

The committed `resources/openapi.json` must equal this output (a test checks it), so the
document an integrator reads is the one the sandbox serves at `/openapi.json`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from sandbox.api import create_app
from sandbox.store import LEGACY_REFERENCE, Store
from sandbox.world import DEFAULT_SEED

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "resources" / "openapi.json"


def document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "openapi.sqlite3", DEFAULT_SEED, now=LEGACY_REFERENCE)
        try:
            return create_app(store, token="unused").openapi()
        finally:
            store.close()


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    sys.stdout.write(render(document()))


if __name__ == "__main__":
    main()
