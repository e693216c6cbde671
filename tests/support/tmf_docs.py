"""TM Forum's published v4 documents (Swagger 2.0), read at run time from `$TMF_DOCS` (default
`../shared/tmf/v4` beside the clone; nothing of them is copied into the project), and a checker
that holds TMF messages to them.

Swagger 2.0 definitions are JSON Schema (draft 4) with a few extra keywords that validators
ignore (`discriminator`, `example`), so each message is validated by `jsonschema`'s Draft 4
validator against `{"$ref": "#/definitions/<Name>", "definitions": <the document's>}`, with
`date-time` formats checked.

`TmfDocs` is an httpx event hook (request and response): it finds the document by the path's
base (`/tmf-api/usageManagement/v4/`) and the operation by template and method, then checks
- a request body against the operation's body parameter (`Usage_Create`, `Usage_Update`);
- a response body against the schema the document gives for that status, and the headers it
  declares (X-Total-Count, X-Result-Count) as integers;
- an error status the document does not list (the sandbox's 422 refusals, 503 faults) against
  `Error`, which TMF630 makes every error's body; an unlisted success status is a deviation.
Each deviation is a sentence naming the message, the place in it and what the document says.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator

ROOT = Path(__file__).resolve().parents[2]
Json = dict[str, Any]


def docs_folder() -> Path:
    """$TMF_DOCS, else ../shared/tmf/v4; a test that needs them fails (never skips) without."""
    configured = os.environ.get("TMF_DOCS")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "tmf" / "v4"
    if not folder.is_dir() or not any(folder.glob("*.swagger.json")):
        pytest.fail(f"TM Forum's published v4 documents are not in {folder}: lay "
                    "../shared/tmf beside the clone (CI does) or set TMF_DOCS to the folder "
                    "of *.swagger.json files.", pytrace=False)
    return folder


@dataclass(frozen=True)
class Operation:
    document: Json
    template: str  # /usage/{id}
    method: str
    spec: Json


class SwaggerDoc:
    def __init__(self, document: Json, name: str) -> None:
        self.document = document
        self.name = name
        self.base_path = "/" + str(document["basePath"]).strip("/") + "/"
        self._validators: dict[str, Draft4Validator] = {}

    def operation(self, method: str, path: str) -> Operation | None:
        rest = path[len(self.base_path) - 1:].rstrip("/") or "/"
        parts = rest.strip("/").split("/")
        for template, operations in self.document["paths"].items():
            pattern = template.strip("/").split("/")
            if len(pattern) == len(parts) and method.lower() in operations and all(
                    p.startswith("{") or p == q for p, q in zip(pattern, parts, strict=True)):
                return Operation(self.document, template, method.lower(),
                                 operations[method.lower()])
        return None

    def problems(self, schema: Json, instance: Any) -> list[str]:
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            validator = Draft4Validator({**schema, "definitions": self.document["definitions"]},
                                        format_checker=Draft4Validator.FORMAT_CHECKER)
            self._validators[key] = validator
        return [f"at /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
                for error in sorted(validator.iter_errors(instance), key=str)[:5]]


def load_documents(folder: Path) -> dict[str, SwaggerDoc]:
    """The v4.0.0 document of each API (the version TM Forum's kits test), by base path."""
    found: dict[str, SwaggerDoc] = {}
    for path in sorted(folder.glob("*-v4.0.0.swagger.json")):
        doc = SwaggerDoc(json.loads(path.read_text(encoding="utf-8")), path.name)
        found[doc.base_path] = doc
    return found


@dataclass
class TmfDocs:
    documents: dict[str, SwaggerDoc]
    deviations: list[str] = field(default_factory=list)
    checked: int = 0

    @classmethod
    def from_folder(cls, folder: Path | None = None) -> TmfDocs:
        return cls(load_documents(folder or docs_folder()))

    def hooks(self) -> dict[str, list[Any]]:
        return {"request": [self.check_request], "response": [self.check_response]}

    def document_of(self, path: str) -> SwaggerDoc | None:
        return next((d for base, d in self.documents.items() if path.startswith(base)), None)

    def transport(self, inner: httpx.BaseTransport | None = None) -> CheckedTransport:
        """A transport that holds every request and answer to the documents (for a client that
        takes a transport, not event hooks: the console's OperatorClient)."""
        return CheckedTransport(self, inner or httpx.HTTPTransport())

    def check_request(self, request: httpx.Request) -> None:
        found = self._operation(request.method, request.url.path, "request")
        if found is None:
            return
        doc, operation = found
        if not request.content:
            return
        body = next((p for p in operation.spec.get("parameters", []) if p.get("in") == "body"),
                    None)
        if body is None:
            return
        self._check(doc, body["schema"], _json(request.content),
                    f"{request.method} {request.url.path} request body")

    def check_response(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        found = self._operation(request.method, request.url.path, "answer")
        if found is None:
            return
        self.checked += 1
        doc, operation = found
        where = f"{request.method} {request.url.path} → {response.status_code}"
        declared = operation.spec["responses"].get(str(response.status_code))
        if declared is None:
            if response.status_code < 400:
                self.deviations.append(f"{where}: {doc.name} lists no {response.status_code} "
                                       f"for {operation.method.upper()} {operation.template}")
                return
            declared = {"schema": {"$ref": "#/definitions/Error"}}
        for name, header in (declared.get("headers") or {}).items():
            value = response.headers.get(name)
            if value is None or (header.get("type") == "integer" and not value.isdigit()):
                self.deviations.append(f"{where}: header {name} is {value!r}; {doc.name} "
                                       f"declares it {header.get('type', 'present')}")
        if "schema" in declared:
            self._check(doc, declared["schema"], _json(response.content), where)

    def _operation(self, method: str, path: str, what: str) -> tuple[SwaggerDoc,
                                                                       Operation] | None:
        doc = self.document_of(path)
        if doc is None:
            return None
        operation = doc.operation(method, path)
        if operation is None:
            self.deviations.append(f"{method} {path} ({what}): {doc.name} has no such "
                                   "operation")
            return None
        return doc, operation

    def check_query(self, request: httpx.Request) -> None:
        """The query parameters the operation declares, by their declared type (`offset` and
        `limit` integers, never negative). TMF630's attribute filters (`a.b=…`, `a.gte=…`)
        are no parameter of the documents and are not checked here. (Not part of the event
        hooks: the sandbox's tests send a wrong `limit` on purpose.)"""
        doc = self.document_of(request.url.path)
        operation = None if doc is None else doc.operation(request.method, request.url.path)
        if doc is None or operation is None:
            return  # check_request names an operation the document lacks
        for parameter in operation.spec.get("parameters", []):
            if parameter.get("in") != "query" or parameter["name"] not in request.url.params:
                continue
            value = request.url.params[parameter["name"]]
            if parameter.get("type") == "integer" and not value.isdigit():
                self.deviations.append(
                    f"{request.method} {request.url.path} request: query {parameter['name']}"
                    f"={value!r}; {doc.name} declares an integer")

    def _check(self, doc: SwaggerDoc, schema: Json, instance: Any, where: str) -> None:
        for problem in doc.problems(schema, instance):
            self.deviations.append(f"{where}: {problem} (schema {schema}, {doc.name})")


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")


class CheckedTransport(httpx.BaseTransport):
    """`inner`, with every request and its answer held to the documents on the way."""

    def __init__(self, docs: TmfDocs, inner: httpx.BaseTransport) -> None:
        self._docs = docs
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._docs.check_query(request)
        self._docs.check_request(request)
        response = self._inner.handle_request(request)
        response.request = request
        self._docs.check_response(response)  # reads the answer whole
        return response

    def close(self) -> None:
        self._inner.close()
