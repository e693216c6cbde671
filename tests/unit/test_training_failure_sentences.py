"""Every way the training sandbox can fail to start (sandbox.resident.REASONS) reaches the
clerk as its own sentence, in the console's language — not one catch-all for all of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.i18n import set_language
from app.main import _training_failure
from sandbox.resident import REASONS, ResidentFailed

DATA = Path("/srv/salon")


@pytest.fixture(params=["ru", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def test_each_reason_has_its_own_sentence(language: str) -> None:
    said = {reason: _training_failure(ResidentFailed(reason, "the sandbox's own words"), DATA)
            for reason in REASONS}
    assert len(set(said.values())) == len(REASONS), said
    assert not any("the sandbox's own words" in sentence for sentence in said.values())
    assert "sandbox.db.code-key" in said["bad_code_key"]
    assert str(DATA / "logs" / "sandbox.log") in said["timeout"]
    if language == "ru":  # translated, every one
        assert all(any("а" <= c <= "я" for c in sentence) for sentence in said.values()), said
