"""Print jobs in the local store (schema: migrations step 6), and the counter's own settings.

A print job row is written before the document goes to CUPS, so the print queue shows every
attempt, and a retry re-sends the same file (the operation the document confirms is never
run again). Rows belong to a counter: with PostgreSQL shared by a store's counters, each print
queue shows its own. Times are naive UTC in the table and come back timezone-aware.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import AutoField, CharField, CompositeKey, DateTimeField, IntegerField, TextField

from models.printing import DocumentKind, NewPrintJob, PrintJob, PrintJobState
from models.stored_time import from_stored, to_stored
from models.tables import BaseModel

FINAL = tuple(state.value for state in PrintJobState if state.final)


class PrintJobRow(BaseModel):
    id = AutoField()
    path = TextField()
    kind = CharField(max_length=16)
    title = TextField()
    documents = TextField(default="")
    subscriber = CharField(max_length=16, default="")
    printer = CharField(max_length=200, default="")
    cups_job_id = IntegerField(null=True)
    state = CharField(max_length=16)
    attempts = IntegerField(default=0)
    clerk = CharField(max_length=64)
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    last_error = TextField(default="")

    class Meta:
        table_name = "print_job"


class CounterSetting(BaseModel):
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    name = CharField(max_length=64)
    value = TextField()
    updated_at = DateTimeField()
    updated_by = CharField(max_length=64)

    class Meta:
        table_name = "counter_setting"
        primary_key = CompositeKey("salon", "counter", "name")




def _job(row: PrintJobRow) -> PrintJob:
    return PrintJob(
        id=int(row.id), path=Path(row.path), kind=DocumentKind(row.kind), title=row.title,
        documents=row.documents, subscriber=row.subscriber, printer=row.printer,
        cups_job_id=None if row.cups_job_id is None else int(row.cups_job_id),
        state=PrintJobState(row.state), attempts=int(row.attempts), clerk=row.clerk,
        created_at=from_stored(row.created_at), updated_at=from_stored(row.updated_at),
        last_error=row.last_error or "")


class StorePrintJobs:
    """The PrintJobStore of app/services/printing.py for one counter."""

    def __init__(self, salon: str, counter: str) -> None:
        self._salon, self._counter = salon, counter

    def add(self, job: NewPrintJob) -> PrintJob:
        when = to_stored(job.created_at)
        row_id = PrintJobRow.insert(
            path=str(job.path), kind=job.kind.value, title=job.title, documents=job.documents,
            subscriber=job.subscriber, printer=job.printer, state=PrintJobState.QUEUED.value,
            clerk=job.clerk, salon=self._salon, counter=self._counter, created_at=when,
            updated_at=when).execute()
        found = self.get(int(row_id))
        assert found is not None
        return found

    def get(self, job_id: int) -> PrintJob | None:
        row = PrintJobRow.get_or_none((PrintJobRow.id == job_id) & self._mine())
        return None if row is None else _job(row)

    def update(self, job_id: int, when: datetime, *, expect: PrintJobState | None = None,
               **fields: Any) -> PrintJob | None:
        """Change the row (only while it is in state `expect`, when given); None when it was
        not (another window of this counter got there first)."""
        values: dict[str, Any] = {"updated_at": to_stored(when)}
        for name, value in fields.items():
            if name == "attempts_plus":
                values["attempts"] = PrintJobRow.attempts + value
            elif isinstance(value, PrintJobState | DocumentKind):
                values[name] = value.value
            else:
                values[name] = value
        query = PrintJobRow.update(values).where((PrintJobRow.id == job_id) & self._mine())
        if expect is not None:
            query = query.where(PrintJobRow.state == expect.value)
        if not query.execute():
            return None
        return self.get(job_id)

    def recent(self, limit: int = 100) -> list[PrintJob]:
        rows = PrintJobRow.select().where(self._mine()).order_by(
            PrintJobRow.id.desc()).limit(limit)
        return [_job(row) for row in rows]

    def active(self) -> list[PrintJob]:
        rows = PrintJobRow.select().where(
            self._mine() & PrintJobRow.state.not_in(FINAL)).order_by(PrintJobRow.id)
        return [_job(row) for row in rows]

    def purge(self, before: datetime) -> list[PrintJob]:
        """Delete the finished jobs (of every counter) last touched before `before` (R9)."""
        rows = list(PrintJobRow.select().where(
            PrintJobRow.state.in_(FINAL) & (PrintJobRow.updated_at < to_stored(before))))
        if rows:
            PrintJobRow.delete().where(PrintJobRow.id.in_([row.id for row in rows])).execute()
        return [_job(row) for row in rows]

    def _mine(self) -> Any:
        return (PrintJobRow.salon == self._salon) & (PrintJobRow.counter == self._counter)


class StoreCounterSettings:
    """A counter's own choices (the printer), kept in the store: salon.ini is the
    administrator's file, and several counters may share one store."""

    def __init__(self, salon: str, counter: str) -> None:
        self._salon, self._counter = salon, counter

    def get(self, name: str) -> str | None:
        row = CounterSetting.get_or_none(
            (CounterSetting.salon == self._salon) & (CounterSetting.counter == self._counter)
            & (CounterSetting.name == name))
        return None if row is None else str(row.value)

    def set(self, name: str, value: str | None, clerk: str, when: datetime) -> None:
        where = ((CounterSetting.salon == self._salon)
                 & (CounterSetting.counter == self._counter) & (CounterSetting.name == name))
        with CounterSetting._meta.database.atomic():
            CounterSetting.delete().where(where).execute()
            if value is not None:
                CounterSetting.insert(salon=self._salon, counter=self._counter, name=name,
                                      value=value, updated_at=to_stored(when),
                                      updated_by=clerk).execute()
