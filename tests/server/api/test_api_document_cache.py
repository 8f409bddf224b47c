"""Documents sent again are not parsed and checked against the schema again, and still
get every check that depends on the request: who may run it, the cost measured with this
request's variables, the limits of the app serving it, the coercion of its variables; a
document that failed is never kept."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from graphql import FieldsOnCorrectTypeRule
from tests.server.api.graphql_results import error_codes

from proctor.server.api import build_schema, request_limits
from proctor.server.api.context import ApiContext
from proctor.server.api.document_cache import ValidDocuments
from proctor.server.api.document_worker import INLINE_CHARACTERS
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database

RUNS = "query ($n: Int) { flowRuns(first: $n) { totalCount nodes { id name } } }"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first line of every document checked against the schema's rules (one of
    graphql-core's rules stands for them all)."""
    seen: list[str] = []
    validate = request_limits.validate_document

    def counted(schema, document, rules):
        if FieldsOnCorrectTypeRule in rules:
            seen.append(document.loc.source.body.splitlines()[0])
        return validate(schema, document, rules)

    monkeypatch.setattr(request_limits, "validate_document", counted)
    return seen


async def test_a_document_sent_again_is_validated_once(gql, validations):
    answers = [await gql(RUNS, {"n": 5}) for _ in range(3)]
    assert answers[0] == {"data": {"flowRuns": {"totalCount": 0, "nodes": []}}}
    assert answers[1] == answers[0] and answers[2] == answers[0]
    assert validations == [RUNS]
    # Another text is another document, validated on its own.
    other = "{ flowRuns(first: 2) { totalCount } }"
    assert await gql(other) == {"data": {"flowRuns": {"totalCount": 0}}}
    assert validations == [RUNS, other]


async def test_a_kept_document_is_measured_with_each_requests_variables(gql, app, validations):
    assert "errors" not in await gql(RUNS, {"n": 5})
    too_many = app.state.api.request_limits.max_page_size + 1
    assert error_codes(await gql(RUNS, {"n": too_many})) == ["PAGE_TOO_LARGE"]
    costly = """query ($a: Int, $b: Int) { flowRuns(first: $a) { nodes {
        taskRuns(first: $b) { nodes { id state states { state } } } } } }"""
    assert "errors" not in await gql(costly, {"a": 10, "b": 10})
    assert error_codes(await gql(costly, {"a": 1000, "b": 1000})) == ["QUERY_TOO_COSTLY"]
    # Variables are still coerced for each request.
    assert error_codes(await gql(RUNS, {"n": "ten"})) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "errors" not in await gql(RUNS, {"n": 3})
    assert len(validations) == 2  # RUNS once, costly once


async def test_a_document_kept_under_looser_limits_is_refused_under_stricter_ones(gql, app):
    deep = "{ flowRuns { nodes { flow { versions { name } } } } }"
    assert "errors" not in await gql(deep)
    app.state.api.request_limits = replace(app.state.api.request_limits, max_depth=3)
    assert error_codes(await gql(deep)) == ["QUERY_TOO_DEEP"]


async def test_who_may_run_a_kept_document_is_checked_for_every_request(database: Database):
    schema = build_schema(RequestLimits())
    create = 'mutation { createProject(name: "kept") { name } }'

    async def run_as(role: str, document: str) -> dict:
        who = Principal(DEFAULT_TENANT_ID, role, "api_key", api_key_id=uuid.uuid4())  # type: ignore[arg-type]
        context = ApiContext(
            db=database, events=database.events, tenant_id=DEFAULT_TENANT_ID,
            request_limits=RequestLimits(), principal=who,
        )  # fmt: skip
        result = await schema.execute(document, context_value=context)
        return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}

    made = await run_as("admin", create)
    assert made == {"data": {"createProject": {"name": "kept"}}, "errors": []}
    refused = await run_as("read_only", create)
    assert refused["data"] is None
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    listed = "{ projects { name } }"
    assert (await run_as("read_only", listed))["errors"] == []
    assert (await run_as("read_only", listed))["data"] == {"projects": [{"name": "kept"}]}


async def test_a_document_that_failed_is_never_kept(gql, validations):
    wrong = "{ flowRuns { nodes { nope } } }"
    for _ in range(2):
        assert error_codes(await gql(wrong)) == ["GRAPHQL_VALIDATION_FAILED"]
    assert validations == [wrong, wrong]
    broken = "{ flowRuns { nodes { id } "
    for _ in range(2):
        assert error_codes(await gql(broken)) == ["GRAPHQL_PARSE_FAILED"]


def test_the_least_recently_used_document_leaves_first():
    documents = ValidDocuments(max_documents=2)
    keys = [documents.key(f"{{ n{i} }}") for i in range(3)]
    first, second, third = (object(), object(), object())
    documents.keep(keys[0], first)  # type: ignore[arg-type]
    documents.keep(keys[1], second)  # type: ignore[arg-type]
    assert documents.get(keys[0]) is first  # now the most recently used
    documents.keep(keys[2], third)  # type: ignore[arg-type]
    assert len(documents) == 2
    assert documents.get(keys[1]) is None
    assert documents.get(keys[0]) is first and documents.get(keys[2]) is third


def test_long_and_empty_texts_are_never_kept():
    documents = ValidDocuments()
    assert documents.key("") is None
    assert documents.key("{ a }" + " " * INLINE_CHARACTERS) is None
    assert documents.key("{ a }", "rules") == ("{ a }", "rules")
    nothing = ValidDocuments(max_documents=0)
    nothing.keep(nothing.key("{ a }"), object())  # type: ignore[arg-type]
    assert len(nothing) == 0
