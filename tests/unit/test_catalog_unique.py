"""The Russian catalog names each English string once: a second entry for a msgid (easy to
append when branches merge) would silently decide which translation everyone gets."""

from __future__ import annotations

import re
from collections import Counter

from resources import RESOURCES

PO = RESOURCES / "locale" / "ru" / "LC_MESSAGES" / "salon.po"


def test_every_msgid_is_in_the_catalog_once() -> None:
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'^msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?', text, re.M)
    ids = ["".join(re.findall(r'"(.*)"', single)) for single, _plural in entries]
    assert len(ids) > 500
    assert [msgid for msgid, count in Counter(ids).items() if count > 1] == []
