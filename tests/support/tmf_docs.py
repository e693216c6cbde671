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

What a client SENDS in its query is checked too where asked (`check_query`, and `transport()`
for a client whose transport can be given, as the console's OperatorClient): the parameters the
operation declares (`fields`, `offset`, `limit`) have their declared type, and every attribute a
filter or `fields` names (TMF630: `attr=`, `a.b=`, `attr.gte=`…) is an attribute of the
entity the operation answers with, as the document defines it.
"""

from __future__ import annotations

import json
import os
import re
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


    def entity_attributes(self, operation: Operation) -> set[str] | None:
        """The attributes of the entity a GET answers with (its 200's schema, or the items
        of that array); None when the document does not say."""
        schema = operation.spec.get("responses", {}).get("200", {}).get("schema", {})
        if schema.get("type") == "array":
            schema = schema.get("items", {})
        return self._properties(schema, depth=0)

    def _properties(self, schema: Json, depth: int) -> set[str] | None:
        if depth > 10:
            return None
        reference = schema.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/definitions/"):
            schema = self.document["definitions"].get(reference.rsplit("/", 1)[-1], {})
        found: set[str] = set(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            found |= self._properties(part, depth + 1) or set()
        return found or None


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

    def check_request(self, request: httpx.Request) -> None:
        found = self._operation(request.method, request.url.path, "request")
        if found is None or not request.content:
            return
        doc, operation = found
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

    def check_query(self, request: httpx.Request) -> None:
        """The request's query against the operation's declared parameters and its entity's
        attributes (TMF630 attribute filters and `fields`)."""
        found = self._operation(request.method, request.url.path, "query")
        if found is None:
            return
        doc, operation = found
        declared = {p["name"]: p for p in operation.spec.get("parameters", [])
                    if p.get("in") == "query"}
        attributes = doc.entity_attributes(operation)
        where = f"{request.method} {request.url.path} query"
        for name, value in request.url.params.multi_items():
            parameter = declared.get(name)
            if parameter is not None:
                if parameter.get("type") == "integer" and not value.isdigit():
                    self.deviations.append(f"{where}: {name}={value!r}; {doc.name} declares "
                                           "an integer")
                if name == "fields" and attributes is not None:
                    for item in value.split(","):
                        self._check_attribute(doc, item, attributes, where, "fields")
                continue
            if attributes is None:
                self.deviations.append(f"{where}: {name} is not a parameter {doc.name} "
                                       f"declares for {operation.method.upper()} "
                                       f"{operation.template}")
                continue
            self._check_attribute(doc, _FILTER_OPERATOR.sub("", name), attributes, where,
                                  "filter")

    def _check_attribute(self, doc: SwaggerDoc, dotted: str, attributes: set[str], where: str,
                         what: str) -> None:
        first = dotted.split(".", 1)[0]
        if first not in attributes:
            self.deviations.append(f"{where}: the {what} {dotted!r} names no attribute of the "
                                   f"entity in {doc.name}")

    def transport(self, inner: httpx.BaseTransport | None = None, *,
                  queries: bool = True) -> httpx.BaseTransport:
        """A transport that holds every request (body, and query when `queries`) and every
        answer to the documents, then passes them on unchanged."""
        return _CheckingTransport(self, inner or httpx.HTTPTransport(), queries)

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

    def _check(self, doc: SwaggerDoc, schema: Json, instance: Any, where: str) -> None:
        for problem in doc.problems(schema, instance):
            self.deviations.append(f"{where}: {problem} (schema {schema}, {doc.name})")


# TMF630's operators on an attribute filter: `usageDate.gte=…` filters `usageDate`.
_FILTER_OPERATOR = re.compile(r"\.(gt|gte|lt|lte|eq|ne|regex)$")


class _CheckingTransport(httpx.BaseTransport):
    def __init__(self, docs: TmfDocs, inner: httpx.BaseTransport, queries: bool) -> None:
        self._docs, self._inner, self._queries = docs, inner, queries

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self._docs.check_request(request)
        if self._queries:
            self._docs.check_query(request)
        response = self._inner.handle_request(request)
        response.read()
        response.request = request
        self._docs.check_response(response)
        return response

    def close(self) -> None:
        self._inner.close()


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")
