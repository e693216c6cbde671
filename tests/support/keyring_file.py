"""A keyring backend for CLI subprocess tests, chosen with
PYTHON_KEYRING_BACKEND=tests.support.keyring_file.FileKeyringForTests (and PYTHONPATH at the repo).

It keeps secrets in the JSON file named by $SALON_TEST_KEYRING, so a test can run
`salon credentials set` in one process and use the token in the next. Test use only: a real
counter gets the system's secret service, and the console refuses plain-text backends it knows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyringForTests(KeyringBackend):
    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ["SALON_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text("utf-8")) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._load()
        secrets[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(secrets), "utf-8")

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._load()
        secrets.pop(f"{service}/{username}", None)
        self.path.write_text(json.dumps(secrets), "utf-8")
