"""TM Forum's published v4 documents for the tests: the checker is conformance/documents.py
(shared with `make conformance`'s clerk's day); here the folder is found as the suite needs it
— a test that needs the documents fails (never skips) without them, saying where it looked."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from conformance import paths
from conformance.documents import (
    DocumentsMissing,
    Json,
    Operation,
    SwaggerDoc,
    load_documents,
)
from conformance.documents import TmfDocs as _TmfDocs

__all__ = ["Json", "Operation", "SwaggerDoc", "TmfDocs", "docs_folder", "load_documents"]


def docs_folder() -> Path:
    """$TMF_DOCS, else $TMF_KITS/../v4, else ../shared/tmf/v4 (conformance/paths.py)."""
    folder = paths.docs_folder()
    if not folder.is_dir() or not any(folder.glob("*.swagger.json")):
        pytest.fail(f"TM Forum's published v4 documents are not in {folder}: lay "
                    "../shared/tmf beside the clone (CI does) or set TMF_DOCS to the folder "
                    "of *.swagger.json files.", pytrace=False)
    return folder


class TmfDocs(_TmfDocs):
    @classmethod
    def from_folder(cls, folder: Path | None = None) -> TmfDocs:
        try:
            return cls(load_documents(folder or docs_folder()))
        except DocumentsMissing as error:
            pytest.fail(str(error), pytrace=False)

    def transport(self, inner: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
        """A transport that holds every request (query and body) and every answer to the
        documents, then passes them on unchanged (tests/support/tmf_checked.py)."""
        from tests.support.tmf_checked import CheckedTransport

        return CheckedTransport(self, inner)
