"""Secrets typed for the CLI: an environment variable, else a hidden prompt on a terminal,
else one line of stdin (scripts and tests). Never echoed, never logged."""

from __future__ import annotations

import os
import sys

from app.errors import InputError, NotSignedIn
from app.i18n import _


def read_password(prompt: str) -> str:
    """The signing-in clerk's password: $SALON_PASSWORD, a prompt, or a line of stdin."""
    password = _read("SALON_PASSWORD", prompt)
    if not password:
        raise NotSignedIn(_(
            "No password was given: type it at the prompt or set SALON_PASSWORD."
        ))
    return password


def read_new_password(prompt: str, repeat_prompt: str) -> str:
    """A new password: $SALON_NEW_PASSWORD, a prompt typed twice, or a line of stdin."""
    password = _read("SALON_NEW_PASSWORD", prompt)
    if password and "SALON_NEW_PASSWORD" not in os.environ and sys.stdin.isatty():
        import getpass

        if getpass.getpass(repeat_prompt) != password:
            raise InputError(_("The two passwords differ; nothing was changed."))
    if not password:
        raise InputError(_(
            "No new password was given: type it at the prompt or set SALON_NEW_PASSWORD."
        ))
    return password


def read_secret_line(prompt: str) -> str:
    """A hidden prompt on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def _read(variable: str, prompt: str) -> str:
    value = os.environ.get(variable)
    if value:
        return value
    return read_secret_line(prompt)
