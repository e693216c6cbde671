"""The operator's answers read defensively: never more bytes than the kind of answer can need,
and JSON parsed so that no body — however nested, malformed or encoded — escapes as anything
but "the answer is unreadable".

A hostile or broken server is met here, before anything is validated: a 400 MB answer would
otherwise be held in memory whole (and again as text and as objects), and a deeply nested
error body makes Python's json module raise RecursionError.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

MiB = 2**20


@dataclass(frozen=True)
class AnswerLimits:
    """The most bytes (decoded) the console reads of one answer, by kind. A card, a balance,
    the catalog or an order's answer is a few kilobytes; a usage page of 10,000 records is
    about 3 MB; a document in the personal archive is at most 50 MB, which TMF667 sends as
    base64 inside its JSON: 4 characters per 3 bytes, 66.7 MiB, plus the document around it."""

    json: int = 4 * MiB
    usage_page: int = 32 * MiB
    document: int = 68 * MiB


class AnswerTooLarge(Exception):
    """The answer is longer than its kind allows; reading stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is longer than {limit} bytes")
        self.limit = limit


class UnreadableJson(ValueError):
    """The body is not JSON this console can read (malformed, not UTF-8, or nested deeper
    than the parser goes)."""


# Decoded bodies lose their transfer encoding: the rebuilt response must not claim it.
_ENCODING_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def read_capped(response: httpx.Response, limit: int) -> httpx.Response:
    """The streamed `response` read whole, but never past `limit` decoded bytes (a declared
    Content-Length over it is refused before a byte is read), as a response with its body in
    memory. The stream is closed either way. AnswerTooLarge past the limit."""
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise AnswerTooLarge(limit)  # compressed, it would decode to as much or more
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise AnswerTooLarge(limit)
    finally:
        response.close()
    headers = [(key, value) for key, value in response.headers.multi_items()
               if key.lower() not in _ENCODING_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=bytes(body),
                          request=response.request)


# Every byte of an answer mapped to what matters for reading its numbers: a digit or a point to
# "0", an exponent's letter to "e", anything else to a space (see `float_exact`).
_NUMBER_SHAPE = bytes(ord("0") if chr(b) in "0123456789." else ord("e") if chr(b) in "eE"
                      else ord(" ") for b in range(256))


def float_exact(content: bytes) -> bool:
    """Whether every number in `content` reads exactly through a binary float (and back to the
    same Decimal): no literal has an exponent or 16 significant digits or more. A decimal of at
    most 15 significant digits survives a float's shortest round trip; an integer is never a
    float. Conservative: a digit run in a string (an id, a date) can only send the answer to
    the exact, slower reading, never the other way. ~10 ms for a 7 MB usage page, where
    reading every number as a Decimal costs ~60."""
    shape = content.translate(_NUMBER_SHAPE)
    return b"0e" not in shape and b"0" * 17 not in shape


def parse_exact(content: bytes) -> Any:
    """The JSON value of an answer to be validated: every number with a fraction or an exponent
    read as a Decimal from its own digits, never through a binary float (`0.1` stays 0.1,
    `123456789012.1234567` keeps its last digit, `1E-999999` is not 0), so the wire models'
    ranges judge what the operator wrote. ValueError or RecursionError for what is not JSON."""
    return json.loads(content, parse_float=Decimal)


def parse_json(content: bytes) -> Any:
    """The JSON value of `content`; UnreadableJson for anything else. RecursionError (a body
    nested deeper than the parser's stack) is one more way for it to be unreadable."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError) as error:
        raise UnreadableJson(type(error).__name__) from None


def error_fields(response: httpx.Response) -> dict[str, Any]:
    """The error object of an answer: TM Forum's `Error` (the body itself, with a `code`), or
    the older contract's `{"error": {...}}`; {} when the body has none or cannot be read."""
    try:
        body = parse_json(response.content)
    except UnreadableJson:
        return {}
    if not isinstance(body, dict):
        return {}
    error = body.get("error")
    if isinstance(error, dict):
        return error
    return body if "code" in body else {}


def text_field(error: dict[str, Any], name: str) -> str | None:
    """A string field of an error object; None when absent or not a string (an operator that
    sends a number or an object there gets no say in the console's messages)."""
    value = error.get(name)
    return value if isinstance(value, str) else None
