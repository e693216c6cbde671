"""`make conformance` without running npm: the kits are where $TMF_KITS says, a kit's scratch
copy takes only a new config.json, and Newman's report becomes a line of the table."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from conformance.kits import KITS, Kit, chosen
from conformance.paths import kits_folder
from conformance.results import KitResult, read_report, table
from conformance.runner import api_url, copy_kit, write_config
from conformance.target import Target

TARGET = Target("http://127.0.0.1:8765", "s3cret")


def test_every_listed_kit_is_in_the_kits_folder() -> None:
    folder = kits_folder()
    if not folder.is_dir():
        pytest.fail(f"TM Forum's conformance kits are not in {folder}: lay ../shared/tmf "
                    "beside the clone (CI does) or set TMF_KITS.", pytrace=False)
    assert {"TMF635", "TMF681", "TMF622"} <= {kit.code for kit in KITS}
    assert {"TMF620", "TMF637"} <= {kit.code for kit in KITS}  # the catalog, the lines
    for kit in KITS:
        assert (folder / kit.folder / "ctk" / "index.js").is_file(), kit.folder
        assert json.loads((folder / kit.folder / "config.json").read_text())["url"]


def test_choosing_kits_by_number() -> None:
    assert [k.code for k in chosen(["TMF681"])] == ["TMF681"]
    assert chosen(None) == list(KITS)
    with pytest.raises(ValueError, match="TMF999"):
        chosen(["TMF999"])


def fake_kit(tmp_path: Path) -> Path:
    kit = tmp_path / "shared" / "CTK-TMF000-Fake"
    (kit / "ctk").mkdir(parents=True)
    (kit / "ctk" / "index.js").write_text("// the launcher\n")
    (kit / "config.json").write_text(json.dumps({
        "url": "http://example.invalid/", "headers": {"Authorization": "Bearer 1"},
        "payloads": {"Thing": {"POST": {"payload": {"name": "x"}}}}}))
    for path in (kit / "ctk" / "index.js", kit / "config.json", kit / "ctk", kit):
        path.chmod(stat.S_IRUSR | stat.S_IXUSR if path.is_dir() else stat.S_IRUSR)
    return kit


def test_the_scratch_copy_gets_a_config_and_nothing_else_changes(tmp_path: Path) -> None:
    source = fake_kit(tmp_path)
    scratch = tmp_path / "work" / "kit"
    kit = Kit("TMF000", source.name, "fakeManagement")
    try:
        copy_kit(source, scratch)
        write_config(scratch, kit, TARGET)
        assert (scratch / "ctk" / "index.js").read_text() == "// the launcher\n"
        config = json.loads((scratch / "config.json").read_text())
        assert config == {
            "url": "http://127.0.0.1:8765/tmf-api/fakeManagement/v4/",
            "headers": {"Accept": "application/json", "Content-Type": "application/json",
                        "Authorization": "Bearer s3cret"},
            "payloads": {"Thing": {"POST": {"payload": {"name": "x"}}}}}
        assert json.loads((source / "config.json").read_text())["url"] == (
            "http://example.invalid/")
        copy_kit(source, scratch)  # again over the last run's copy
    finally:
        for path in (source, source / "ctk"):
            path.chmod(stat.S_IRWXU)


def test_a_kit_that_probes_without_headers_gets_the_token_in_its_url() -> None:
    probing = Kit("TMF635", "CTK", "usageManagement", credentials_in_url=True)
    assert api_url(TARGET, probing) == (
        "http://ctk:s3cret@127.0.0.1:8765/tmf-api/usageManagement/v4/")


def test_newmans_report_is_a_line_of_the_table(tmp_path: Path) -> None:
    report = tmp_path / "jsonResults.json"
    report.write_text(json.dumps({"run": {
        "stats": {"requests": {"total": 15, "failed": 0},
                  "assertions": {"total": 405, "failed": 1}},
        "failures": [{"source": {"name": "/Usage GET"},
                      "error": {"test": "Status code is 200", "message": "expected 404"}}]}}))
    result = read_report("TMF635", "CTK-TMF635-Usage", report)
    assert (result.requests, result.assertions, result.failures) == (15, 405, 1)
    assert result.details == ["/Usage GET — Status code is 200: expected 404"]
    assert not result.passed
    missing = KitResult("TMF681", "CTK-TMF681-Communication", False, note="no report")
    lines = table([result, missing]).splitlines()
    assert lines[0].split() == ["API", "kit", "requests", "assertions", "failures"]
    assert lines[2].split() == ["TMF635", "CTK-TMF635-Usage", "15", "405", "1"]
    assert lines[3].split()[-3:] == ["did", "not", "run"]
