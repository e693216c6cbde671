"""Every exchange of the clerk's day held to the published documents, one table row per API.

- `/tmf-api/<api>/v4/…`: TM Forum's v4 document of that base path (conformance/documents.py):
  the request (its operation, its body) and the answer (status, body, declared headers);
- `/tmf-api/x-salon/…`: the sandbox's own OpenAPI document (conformance/own_document.py);
- `/sandbox/…`: the training sandbox's controls (its clock, the phone's SMS): not part of the
  operator's contract, so counted on a row of their own and not validated;
- anything else (the old `/v1` contract, `/health`): not on the TMF contract, a row of its own.
  Any such call fails the run (ALLOW_V1 is False: the console speaks only TMF).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from conformance.documents import TmfDocs
from conformance.own_document import OwnDocument
from conformance.recording import Exchange

# The console speaks only TMF (and its x-salon extension): a request off that contract fails the
# run. (True lists such requests without failing, as while the console was being moved.)
ALLOW_V1 = False

SANDBOX_ROW = "sandbox controls (not validated)"
OFF_CONTRACT_ROW = "not on the TMF contract (/v1, …)"
EXTENSION_ROW = "x-salon (sandbox's OpenAPI)"


@dataclass
class Row:
    api: str
    requests: int = 0  # requests validated (off the contract and sandbox controls: made)
    responses: int = 0  # responses validated (none there)
    deviations: list[str] = field(default_factory=list)


@dataclass
class Validation:
    rows: dict[str, Row] = field(default_factory=dict)
    allow_v1: bool = ALLOW_V1

    def row(self, api: str) -> Row:
        return self.rows.setdefault(api, Row(api))

    @property
    def deviations(self) -> list[str]:
        return [d for row in self.rows.values() for d in row.deviations]

    @property
    def off_contract(self) -> int:
        row = self.rows.get(OFF_CONTRACT_ROW)
        return row.requests if row is not None else 0

    @property
    def failed(self) -> bool:
        return bool(self.deviations) or (self.off_contract > 0 and not self.allow_v1)

    def table(self) -> str:
        head = ("API", "requests validated", "responses validated", "deviations")
        # Off the contract and the sandbox's controls: the requests made, nothing validated.
        rows = [(r.api, str(r.requests),
                 "-" if r.api in (SANDBOX_ROW, OFF_CONTRACT_ROW) else str(r.responses),
                 str(len(r.deviations))) for r in sorted(self.rows.values(), key=_order)]
        widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                             for i, (cell, w) in enumerate(zip(row, widths, strict=True)))

        return "\n".join([line(head), line(tuple("-" * w for w in widths)), *map(line, rows)])


def _order(row: Row) -> tuple[int, str]:
    last = {SANDBOX_ROW: 3, OFF_CONTRACT_ROW: 2, EXTENSION_ROW: 1}
    return last.get(row.api, 0), row.api


def validate(exchanges: Iterable[Exchange], tmf: TmfDocs, own: OwnDocument, *,
             allow_v1: bool = ALLOW_V1) -> Validation:
    found = Validation(allow_v1=allow_v1)
    for exchange in exchanges:
        path = exchange.request.url.path
        if path.startswith("/sandbox/"):
            found.row(SANDBOX_ROW).requests += 1
        elif path.startswith("/tmf-api/x-salon/"):
            row = found.row(EXTENSION_ROW)
            _count(row, own.request_problems(exchange.request),
                   own.response_problems(exchange.response))
        elif path.startswith("/tmf-api/"):
            doc = tmf.document_of(path)
            if doc is None:
                row = found.row(path.split("/")[2])
                row.deviations.append(f"{exchange.request.method} {path}: no published v4 "
                                      "document has this base path")
                continue
            row = found.row(f"{doc.name.split('-')[0]} {path.split('/')[2]}")
            _count(row, tmf.request_problems(exchange.request) or [],
                   tmf.response_problems(exchange.response) or [])
        else:
            row = found.row(OFF_CONTRACT_ROW)
            row.requests += 1
            if not allow_v1:
                row.deviations.append(f"{exchange.request.method} {path}: not on the TMF "
                                      "contract")
    return found


def _count(row: Row, request: list[str], response: list[str]) -> None:
    row.requests += 1
    row.responses += 1
    row.deviations += request + response
