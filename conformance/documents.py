"""TM Forum's published v4 documents (Swagger 2.0), read at run time from the folder
conformance.paths.docs_folder() names (nothing of them is copied into the project), and a
checker that holds TMF messages to them. The suite's tests (tests/support/tmf_docs.py) and
`make conformance`'s clerk's day (conformance/clerks_day.py) share it.

Swagger 2.0 definitions are JSON Schema (draft 4) with a few extra keywords that validators
ignore (`discriminator`, `example`), so each message is validated by `jsonschema`'s Draft 4
validator against `{"$ref": "#/definitions/<Name>", "definitions": <the document's>}`, with
`date-time` formats checked. (openapi-core, which holds the sandbox's own OpenAPI 3.1 document,
reads no Swagger 2.0.)

`TmfDocs` finds the document by the path's base (`/tmf-api/usageManagement/v4/`) and the
operation by template and method, then checks
- a request: that the document has its operation, its query (declared parameters of their
  types; every attribute a filter or `fields` names is one of the entity's), and its body
  against the operation's body parameter (`Usage_Create`, `Usage_Update`);
- a response body against the schema the document gives for that status, and the headers it
  declares (X-Total-Count, X-Result-Count) as integers;
- an error status the document does not list (the sandbox's 422 refusals, 503 faults) against
  `Error`, which TMF630 makes every error's body; an unlisted success status is a deviation.
Each deviation is a sentence naming the message, the place in it and what the document says.
It works as an httpx event hook (`hooks()`), or message by message (`request_problems`,
`response_problems`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft4Validator

Json = dict[str, Any]


class DocumentsMissing(Exception):
    """The folder holds no published document: nothing can be checked."""


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
    if not found:
        raise DocumentsMissing(f"TM Forum's published v4 documents are not in {folder}: lay "
                               "../shared/tmf beside the clone or set TMF_DOCS to the folder "
                               "of *.swagger.json files")
    return found


@dataclass
class TmfDocs:
    documents: dict[str, SwaggerDoc]
    deviations: list[str] = field(default_factory=list)
    checked: int = 0  # responses held to an operation of a document

    @classmethod
    def from_folder(cls, folder: Path) -> TmfDocs:
        return cls(load_documents(folder))

    def hooks(self) -> dict[str, list[Any]]:
        return {"request": [self.check_request], "response": [self.check_response]}

    def document_of(self, path: str) -> SwaggerDoc | None:
        return next((d for base, d in self.documents.items() if path.startswith(base)), None)

    def check_request(self, request: httpx.Request, *, queries: bool = False) -> None:
        """As an event hook, the query is not checked: the sandbox's own tests send a wrong
        `limit` on purpose. A client's requests are checked with `queries=True`."""
        self.deviations.extend(self.request_problems(request, queries=queries) or [])

    def check_response(self, response: httpx.Response) -> None:
        response.read()
        problems = self.response_problems(response)
        if problems is None:
            return
        if not any(p.endswith(_NO_OPERATION) for p in problems):
            self.checked += 1
        self.deviations.extend(problems)

    def request_problems(self, request: httpx.Request, *,
                         queries: bool = True) -> list[str] | None:
        """What in the request the document does not allow (its query too when `queries`);
        None when no document covers its path (it was not checked)."""
        doc = self.document_of(request.url.path)
        if doc is None:
            return None
        operation = doc.operation(request.method, request.url.path)
        if operation is None:
            return [self._no_operation(doc, request, "request")]
        problems = self._query_problems(doc, operation, request) if queries else []
        content = request.read()
        body = next((p for p in operation.spec.get("parameters", []) if p.get("in") == "body"),
                    None)
        if not content or body is None:
            return problems
        return problems + self._problems(doc, body["schema"], _json(content),
                                         f"{request.method} {request.url.path} request body")

    @staticmethod
    def _query_problems(doc: SwaggerDoc, operation: Operation,
                        request: httpx.Request) -> list[str]:
        """The query against the operation's declared parameters (`fields`, `offset`,
        `limit` of their declared types) and its entity's attributes: every attribute a filter
        or `fields` names (TMF630: `attr=`, `a.b=`, `attr.gte=`…) is one the document gives
        the entity."""
        declared = {p["name"]: p for p in operation.spec.get("parameters", [])
                    if p.get("in") == "query"}
        attributes = doc.entity_attributes(operation)
        where = f"{request.method} {request.url.path} query"
        problems: list[str] = []

        def attribute(dotted: str, what: str) -> None:
            if attributes is not None and dotted.split(".", 1)[0] not in attributes:
                problems.append(f"{where}: the {what} {dotted!r} names no attribute of the "
                                f"entity in {doc.name}")

        for name, value in request.url.params.multi_items():
            parameter = declared.get(name)
            if parameter is None and attributes is None:
                problems.append(f"{where}: {name} is not a parameter {doc.name} declares for "
                                f"{operation.method.upper()} {operation.template}")
            elif parameter is None:
                attribute(_FILTER_OPERATOR.sub("", name), "filter")
            else:
                if parameter.get("type") == "integer" and not value.isdigit():
                    problems.append(f"{where}: {name}={value!r}; {doc.name} declares an "
                                    "integer")
                if name == "fields":
                    for item in value.split(","):
                        attribute(item, "fields")
        return problems

    def response_problems(self, response: httpx.Response) -> list[str] | None:
        """What in the answer the document does not allow; None when no document covers
        its request's path."""
        request = response.request
        doc = self.document_of(request.url.path)
        if doc is None:
            return None
        operation = doc.operation(request.method, request.url.path)
        if operation is None:
            return [self._no_operation(doc, request, "answer")]
        where = f"{request.method} {request.url.path} → {response.status_code}"
        declared = operation.spec["responses"].get(str(response.status_code))
        if declared is None:
            if response.status_code < 400:
                return [f"{where}: {doc.name} lists no {response.status_code} for "
                        f"{operation.method.upper()} {operation.template}"]
            declared = {"schema": {"$ref": "#/definitions/Error"}}
        problems = []
        for name, header in (declared.get("headers") or {}).items():
            value = response.headers.get(name)
            if value is None or (header.get("type") == "integer" and not value.isdigit()):
                problems.append(f"{where}: header {name} is {value!r}; {doc.name} "
                                f"declares it {header.get('type', 'present')}")
        if "schema" in declared:
            problems += self._problems(doc, declared["schema"], _json(response.content), where)
        return problems

    @staticmethod
    def _no_operation(doc: SwaggerDoc, request: httpx.Request, what: str) -> str:
        return f"{request.method} {request.url.path} ({what}): {doc.name}{_NO_OPERATION}"

    @staticmethod
    def _problems(doc: SwaggerDoc, schema: Json, instance: Any, where: str) -> list[str]:
        return [f"{where}: {problem} (schema {schema}, {doc.name})"
                for problem in doc.problems(schema, instance)]


_NO_OPERATION = " has no such operation"
# TMF630's operators on an attribute filter: `usageDate.gte=…` filters `usageDate`.
_FILTER_OPERATOR = re.compile(r"\.(gt|gte|lt|lte|eq|ne|regex)$")


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", "replace")
