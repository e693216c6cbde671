"""Every typed input, whatever is typed: a valid value, or the console's InputError with a
sentence — never another exception (which the command line would show as a traceback).

Derandomized (the same examples on every run: CI cannot flake), a few hundred each. The
alphabets lean on what broke before: superscript and Arabic-Indic digits (str.isdigit() and
int() take them), Unicode line and paragraph separators, NUL, terminal escapes, and numbers of
thousands of digits (int() refuses more than 4,300). `benchmarks/fuzz_inputs.py` runs the same
parsers over 10⁵ cases each, outside the suite.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from app import inputs
from app.commands.log import parse_day as iso_day
from app.errors import InputError
from app.phone import parse_msisdn
from app.services.daily_log import DailyLogService
from app.services.detalization import checked_target
from app.services.email import email_address
from app.services.training_world import MAX_ADVANCE_S, parse_duration
from app.ui.presenters.daily_log import parse_day as screen_day
from app.ui.presenters.detalization import read_period
from tests.support.typed_text import typed_text

EXAMPLES = examples(max_examples=300, derandomize=True, deadline=None)


def valid_or_refused(parse: Callable[..., Any], *args: Any) -> Any:
    """The value, or None when refused with a sentence; any other exception fails the test."""
    try:
        return parse(*args)
    except InputError as error:
        assert str(error).strip()
        assert not [c for c in str(error) if unicodedata.category(c) in {"Cc", "Cf"}
                    and c not in "\u00ad"]  # the sentence repeats nothing that drives a terminal
        return None


@EXAMPLES
@given(typed_text())
def test_phone_numbers(text: str) -> None:
    result = valid_or_refused(parse_msisdn, text)
    if result is not None:
        assert re.fullmatch(r"\+7[0-9]{10}", result)
        assert re.fullmatch(r"[0-9 \t\u00a0\u202f()+.\-\u2010-\u2013]+", text.strip(" \t\r\n"))


@pytest.mark.parametrize("text", ["+٧٩١٦١٢٣٤٥٦٧", "+7 916\u2028123-45-67", "+7 916 123-45-67\u2029",
                                  "+7916\x001234567", "８９１６１２３４５６７", "9" * 5000])
def test_phone_numbers_refuse_what_no_clerk_types(text: str) -> None:
    assert valid_or_refused(parse_msisdn, text) is None


@EXAMPLES
@given(typed_text(extra="smhdSMHD"))
def test_durations(text: str) -> None:
    seconds = valid_or_refused(parse_duration, text)
    if seconds is not None:
        assert 1 <= seconds <= MAX_ADVANCE_S and text.isascii()


@pytest.mark.parametrize("text", ["²", "٣h", "9" * 5000, "1" * 40 + "s", "", "1h\u2028"])
def test_durations_refuse_odd_digits_and_huge_numbers(text: str) -> None:
    assert valid_or_refused(parse_duration, text) is None


@EXAMPLES
@given(typed_text(extra="-."))
def test_dates_typed_on_the_command_line_and_on_screen(text: str) -> None:
    for parse in (iso_day, screen_day):
        day = valid_or_refused(parse, text)
        if day is not None:
            assert isinstance(day, date) and text.strip(" \t").isascii()


@EXAMPLES
@given(typed_text(extra="-."), typed_text(extra="-."))
def test_the_detalization_period_typed_on_screen(first: str, last: str) -> None:
    valid_or_refused(read_period, first, last)


@pytest.mark.parametrize("text", ["٢٣.١١.٢٠٢٦", "２０２６-１１-２３", "23.11.2026\u2028",
                                  "0000-01-01"])
def test_dates_refuse_odd_digits(text: str) -> None:
    assert valid_or_refused(screen_day, text) is None
    assert valid_or_refused(iso_day, text) is None


@EXAMPLES
@given(typed_text())
def test_ids_and_counts(text: str) -> None:
    row = valid_or_refused(inputs.record_id, text, "#")
    if row is not None:
        assert 1 <= row <= inputs.MAX_ID and text.strip(" \t").isascii()
    count = valid_or_refused(inputs.bounded_number, text, 1, 10_000, "-n")
    if count is not None:
        assert 1 <= count <= 10_000


@pytest.mark.parametrize("text", ["99999999999999999999", "٣", "²", "3_000", "-1", "0", "1e3",
                                  "9" * 5000, " 7\u2028"])
def test_ids_refuse_what_the_store_cannot_hold_or_no_clerk_types(text: str) -> None:
    assert valid_or_refused(inputs.record_id, text, "#") is None


@EXAMPLES
@given(typed_text(extra="@._-+ab"))
def test_document_ids_printer_names_and_catalog_codes(text: str) -> None:
    document = valid_or_refused(inputs.document_id, text)
    if document is not None:
        assert document.isascii() and document.isprintable() and " " not in document
    printer = valid_or_refused(inputs.printer_name, text)
    if printer is not None:
        assert printer.isprintable() and not set(printer) & set(" /\\#?'\"")
    code = valid_or_refused(inputs.catalog_code, text)
    if code is not None:
        assert re.fullmatch(r"[A-Z0-9_]{1,40}", code)


@EXAMPLES
@given(typed_text(extra="@.-_+aя"))
def test_e_mail_addresses(text: str) -> None:
    address = valid_or_refused(email_address, text)
    if address is not None:
        assert "@" in address and address.isprintable()


@EXAMPLES
@given(st.one_of(st.sampled_from(["pdf", "csv", "xlsx", "html", "txt", "PDF", ""]), st.text()),
       typed_text(extra="./-_xyzcsvpdf"))
def test_formats_and_file_names_for_a_document(tmp_path_factory: pytest.TempPathFactory,
                                               fmt: str, name: str) -> None:
    folder = tmp_path_factory.getbasetemp()
    for check in (checked_target, DailyLogService._checked_target):
        target = valid_or_refused(check, fmt, folder / name)
        if target is not None:
            assert not target.exists() or target.is_file()


@EXAMPLES
@given(typed_text(extra="./-_"))
def test_output_targets(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    target = valid_or_refused(inputs.output_target, tmp_path_factory.getbasetemp() / name)
    if target is not None:
        assert not Path(target).exists() or Path(target).is_file()
