"""Instants as the store keeps them: naive UTC in TIMESTAMP columns (SQLite hands them back as
text, PostgreSQL as a naive datetime), aware UTC everywhere else."""

from __future__ import annotations

from datetime import UTC, datetime


def to_stored(moment: datetime) -> datetime:
    """An aware instant as a naive UTC datetime for a TIMESTAMP column."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_stored(value: datetime | str) -> datetime:
    """A TIMESTAMP column's value as an aware UTC instant."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)
