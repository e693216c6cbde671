"""The store's tables as the current code sees them. Schema changes go through migrations.py."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField, Model, TextField

from models.db import database


class BaseModel(Model):
    class Meta:
        database = database


class SchemaVersion(BaseModel):
    """One row per applied migration: a newer console knows what an older database lacks."""

    version = IntegerField(primary_key=True)
    applied_at = DateTimeField()

    class Meta:
        table_name = "schema_version"


class CachedCard(BaseModel):
    """The last card fetched for a number, shown (with its age) when the API is unreachable."""

    msisdn = CharField(primary_key=True, max_length=16)
    payload = TextField()  # models.card_codec JSON
    fetched_at = DateTimeField(index=True)

    class Meta:
        table_name = "cached_card"
