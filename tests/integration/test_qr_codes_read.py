"""The QR code a document prints is read back by a real reader (zbarimg, from the page as
pdftoppm draws it) and says what the document's metadata says: `SALON-DOC:<id>:<hash>`, with
the hash the writer returned. A clerk's or an auditor's phone reads the paper, not the file."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.config import Settings
from models.documents import DocumentRegister, parse_qr_payload, qr_payload
from printing.detalization import render
from tests.integration.test_verify_other_documents import _slip, keywords, register  # noqa: F401
from tests.support.rich_detalization import rich_report

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def read_qr(pdf: Path, folder: Path) -> list[str]:
    """Every QR code on the first page, as zbarimg reads it at 200 dpi."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is missing: `make test` installs it (Debian's zbar-tools)")
    stem = folder / "page"
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "200", "-gray", "-png",
                    "-singlefile", str(pdf), str(stem)], check=True, timeout=60)
    done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                           str(stem.with_suffix(".png"))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"no QR code read: {done.stderr}"
    return done.stdout.splitlines()


def test_the_detalization_qr_code_reads_as_its_id_and_hash(tmp_path: Path) -> None:
    report = rich_report(NOW)
    path = tmp_path / "detalization.pdf"
    sha = render(report, "pdf", path)
    assert read_qr(path, tmp_path) == [qr_payload(report.document_id, sha)]
    assert parse_qr_payload(keywords(path)) == (report.document_id, sha)


def test_a_slip_qr_code_reads_as_its_metadata_says(settings: Settings,
                                                  register: DocumentRegister,  # noqa: F811
                                                  tmp_path: Path) -> None:
    path = _slip(settings, register)
    claimed = parse_qr_payload(keywords(path))
    assert claimed is not None and claimed[0].startswith("SLP-")
    assert read_qr(path, tmp_path) == [qr_payload(*claimed)]
