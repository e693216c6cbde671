"""The TMF list machinery on plain data: query parsing, attribute filters, `fields`, paging
across sources, JSON Merge Patch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.tmf.fields import project
from sandbox.tmf.links import Links
from sandbox.tmf.matching import matches, values_at
from sandbox.tmf.merge_patch import merge_patch
from sandbox.tmf.query import BadQuery, Filter, Query, parse_filter, parse_query
from sandbox.tmf.sources import IterableSource, find, page

LINKS = Links("http://127.0.0.1:8765")
USAGE: dict[str, Any] = {
    "id": "U-1", "href": "http://h/usage/U-1", "@type": "Usage",
    "usageDate": "2026-11-23T10:15:00Z", "usageType": "voice", "status": "rated",
    "usageCharacteristic": [{"name": "direction", "value": "out"},
                            {"name": "duration", "value": 125}],
    "ratedProductUsage": [{"productRef": {"id": "L-79161234567"},
                           "taxIncludedRatingAmount": {"unit": "RUB", "value": 450.0}}],
    "isBilled": False,
}


def query(**params: str) -> Query:
    return parse_query(params.items(), default_limit=100, max_limit=10_000)


def holds(text: str) -> bool:
    name, _, value = text.partition("=")
    return matches(USAGE, [parse_filter(name, value)])


def test_parse_reads_the_reserved_parameters_and_every_other_as_a_filter() -> None:
    q = parse_query([("fields", "usageDate, usageType"), ("offset", "5"), ("limit", "20"),
                     ("usageDate.gte", "2026-11-01T00:00:00Z"), ("usageType", "voice,sms")],
                    default_limit=100, max_limit=1000)
    assert q.fields == ("usageDate", "usageType") and (q.offset, q.limit) == (5, 20)
    assert q.filters == (Filter(("usageDate",), "gte", ("2026-11-01T00:00:00Z",)),
                         Filter(("usageType",), "eq", ("voice", "sms")))
    assert query().limit == 100 and query().fields is None


@pytest.mark.parametrize("params", [{"offset": "-1"}, {"offset": "x"}, {"limit": "10001"},
                                    {"limit": "1.5"}, {"usageDate.gte": "yesterday"},
                                    {".gt": "1"}, {"a..b": "1"}])
def test_a_query_the_sandbox_cannot_answer_is_refused_with_a_sentence(
        params: dict[str, str]) -> None:
    with pytest.raises(BadQuery, match=r"\."):
        query(**params)


@pytest.mark.parametrize(("text", "expected"), [
    ("usageType=voice", True), ("usageType=sms", False), ("usageType=sms,voice", True),
    ("ratedProductUsage.productRef.id=L-79161234567", True),
    ("ratedProductUsage.productRef.id=L-1", False),
    ("usageCharacteristic.value=out", True),  # through an array: any element
    ("usageCharacteristic.value=125", True), ("usageCharacteristic.value=125.0", True),
    ("ratedProductUsage.taxIncludedRatingAmount.value=450", True),
    ("isBilled=false", True), ("isBilled=true", False),
    ("usageDate=2026-11-23T13:15:00+03:00", True),  # the same instant
    ("usageDate.gte=2026-11-23T10:15:00Z", True), ("usageDate.gt=2026-11-23T10:15:00Z", False),
    ("usageDate.lte=2026-11-23T10:15:00Z", True), ("usageDate.lt=2026-11-23T10:15:00Z", False),
    ("usageDate.lt=2026-11-23T10:15:01Z,2026-01-01T00:00:00Z", True),
    ("usageCharacteristic.value.gt=100", True), ("usageCharacteristic.value.gt=125", False),
    ("usageType.gt=2026-01-01T00:00:00Z", False),  # a name is not an instant
    ("missing=x", False), ("ratedProductUsage=x", False),
])
def test_filters(text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_a_filter_path_reaches_every_element_of_nested_arrays() -> None:
    entity = {"a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": {"c": 3}}]}
    assert list(values_at(entity, ("a", "b", "c"))) == [1, 2, 3]


zones = st.sampled_from([UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-7))])
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1),
                        timezones=zones)


@given(instants, instants, st.sampled_from(["gt", "gte", "lt", "lte"]))
def test_order_filters_compare_instants_whatever_their_zones(
        value: datetime, bound: datetime, op: str) -> None:
    entity = {"usageDate": value.isoformat()}
    expected = {"gt": value > bound, "gte": value >= bound, "lt": value < bound,
                "lte": value <= bound}[op]
    assert matches(entity, [parse_filter(f"usageDate.{op}", bound.isoformat())]) is expected


def test_fields_keep_id_href_type_and_the_parts_asked_for() -> None:
    assert project(USAGE, ("usageDate",)) == {
        "id": "U-1", "href": "http://h/usage/U-1", "@type": "Usage",
        "usageDate": "2026-11-23T10:15:00Z"}
    assert project(USAGE, ("ratedProductUsage.productRef", "nothing"))["ratedProductUsage"] == [
        {"productRef": {"id": "L-79161234567"}}]
    assert project(USAGE, ("usageCharacteristic.value", "usageCharacteristic"))[
        "usageCharacteristic"] == USAGE["usageCharacteristic"]
    assert project(USAGE, None) is USAGE
    assert project(USAGE, ()) == {k: USAGE[k] for k in ("id", "href", "@type")}


json_leaves = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["x", "y"])
json_values = st.recursive(json_leaves, lambda kids: st.lists(kids, max_size=2) | st.dictionaries(
    st.sampled_from(["a", "b", "c"]), kids, max_size=2), max_leaves=6)
entities = st.dictionaries(st.sampled_from(["a", "b", "c", "id"]), json_values, max_size=3)
field_names = st.lists(st.sampled_from(["a", "b", "c", "a.b", "a.c", "b.a", "c.a.b"]),
                       max_size=4)


def is_part_of(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and is_part_of(v, whole[k])
                                               for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and len(part) <= len(whole)
    return bool(part == whole)


@given(entities, field_names)
def test_a_projection_is_always_a_part_of_the_entity(entity: dict[str, Any],
                                                     fields: list[str]) -> None:
    projected = project(entity, tuple(fields))
    assert is_part_of(projected, entity)
    for name in fields:
        top = name.split(".")[0]
        if "." not in name and top in entity:
            assert projected[top] == entity[top]


def numbered(kind: str, n: int) -> list[dict[str, Any]]:
    return [{"id": f"{kind}{i}", "kind": kind, "even": i % 2 == 0} for i in range(n)]


@given(st.lists(st.integers(0, 7), max_size=4), st.integers(0, 30), st.integers(0, 12),
       st.sampled_from([None, "true", "false"]))
def test_paging_runs_across_sources_as_one_list(sizes: list[int], offset: int, limit: int,
                                                even: str | None) -> None:
    lists = [numbered(f"s{i}-", n) for i, n in enumerate(sizes)]
    sources = [IterableSource(lambda _links, items=items: iter(items)) for items in lists]
    params = {"offset": str(offset), "limit": str(limit)}
    if even is not None:
        params["even"] = even
    chosen = page(sources, query(**params), LINKS)
    everything = [e for items in lists for e in items
                  if even is None or str(e["even"]).lower() == even]
    assert chosen.total == len(everything)
    assert chosen.items == everything[offset:offset + limit]


def test_find_asks_each_source_in_order() -> None:
    sources = [IterableSource(lambda _l: iter(numbered("a", 2))),
               IterableSource(lambda _l: iter(numbered("b", 2)))]
    assert find(sources, "b1", LINKS) == {"id": "b1", "kind": "b", "even": False}
    assert find(sources, "c0", LINKS) is None


@pytest.mark.parametrize(("target", "patch", "result"), [  # RFC 7386, appendix A
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_merge_patch_follows_the_rfc(target: Any, patch: Any, result: Any) -> None:
    assert merge_patch(target, patch) == result
