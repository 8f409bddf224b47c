"""Limits and malformed requests: each breach has its code, and nothing is ever a 500."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from tests.server.api.graphql_results import error_codes

from proctor.server.api import build_schema
from proctor.server.api.context import ApiContext
from proctor.server.api.document_worker import INLINE_CHARACTERS
from proctor.server.api.request_limits import RequestLimits
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID


async def _post(http, body, **kwargs):
    return await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}, **kwargs
    )


async def test_query_too_deep(gql, app):
    app.state.api.request_limits = replace(app.state.api.request_limits, max_depth=3)
    deep = "{ flowRuns { nodes { flow { versions { name } } } } }"
    body = await gql(deep)
    assert error_codes(body) == ["QUERY_TOO_DEEP"]
    assert body["data"] is None
    # Fragments are expanded, so they cannot hide depth.
    hidden = (
        "{ flowRuns { ...F } }"
        " fragment F on FlowRunConnection { nodes { flow { versions { id } } } }"
    )
    assert error_codes(await gql(hidden)) == ["QUERY_TOO_DEEP"]
    assert "errors" not in await gql("{ flowRuns { nodes { id } } }")


async def test_query_too_costly(gql):
    costly = """{ flowRuns(first: 1000) { nodes { taskRuns(first: 1000) {
        nodes { id state states { state message } } } } } }"""
    assert error_codes(await gql(costly)) == ["QUERY_TOO_COSTLY"]
    # The same shape with variables is measured with their values.
    query = """query ($a: Int, $b: Int) { flowRuns(first: $a) { nodes {
        taskRuns(first: $b) { nodes { id state states { state } } } } } }"""
    assert error_codes(await gql(query, {"a": 1000, "b": 1000})) == ["QUERY_TOO_COSTLY"]
    assert "errors" not in await gql(query, {"a": 10, "b": 10})


async def test_page_too_large(gql, app):
    limit = app.state.api.request_limits.max_page_size
    body = await gql(f"{{ flowRuns(first: {limit + 1}) {{ totalCount }} }}")
    assert error_codes(body) == ["PAGE_TOO_LARGE"]
    body = await gql(
        'query ($n: Int) { logs(flowRunId: "x", first: $n) { totalCount } }', {"n": limit + 1}
    )
    assert error_codes(body) == ["PAGE_TOO_LARGE"]
    assert error_codes(await gql("{ flowRuns(first: -1) { totalCount } }")) == ["INVALID_INPUT"]


async def test_payload_too_large(http, app):
    app.state.api.request_limits = replace(app.state.api.request_limits, max_body_bytes=2048)
    big = '{"query": "{ projects { id } }", "variables": {"x": "' + "a" * 4096 + '"}}'
    response = await _post(http, big)
    assert response.status_code == 413
    assert error_codes(response.json()) == ["PAYLOAD_TOO_LARGE"]

    async def chunks():
        for _ in range(10):
            yield b"x" * 1024

    streamed = await http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert error_codes(streamed.json()) == ["PAYLOAD_TOO_LARGE"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"42", "application/json"),
        (b'"query"', "application/json"),
        (b'{"query": 5}', "application/json"),
        (b'{"query": "{ projects { id } }", "variables": [1]}', "application/json"),
        (b'{"query": "{ projects { id } }", "operationName": 7}', "application/json"),
        (b'{"query": "{ projects { id } }"}', "text/plain"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b"{}", "application/json"),
    ],
)
async def test_malformed_requests_are_400_with_a_json_error(http, body, content_type):
    response = await http.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_graphql_level_mistakes_have_codes(gql, http):
    assert error_codes(await gql("{ projects { id ")) == ["GRAPHQL_PARSE_FAILED"]
    assert error_codes(await gql("{ nope }")) == ["GRAPHQL_VALIDATION_FAILED"]
    body = await gql("query ($n: Int) { flowRuns(first: $n) { totalCount } }", {"n": "ten"})
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    mutation_over_get = await http.get(
        "/graphql", params={"query": 'mutation { createProject(name: "x") { id } }'}
    )
    assert mutation_over_get.status_code == 400
    assert error_codes(mutation_over_get.json()) == ["BAD_REQUEST"]
    put = await http.put("/graphql", content=b"{}")
    assert put.status_code == 405


def test_limits_from_settings():
    from proctor.settings import temporary_settings

    with temporary_settings(server_limits_max_query_depth=4, server_limits_max_page_size=20) as s:
        limits = RequestLimits.from_settings(s)
    assert (limits.max_depth, limits.max_page_size, limits.default_page_size) == (4, 20, 20)


# -- hostile documents: refused before graphql-core validates or runs anything ------------


def _aliases(count: int, field: str = "me { role }") -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


async def test_a_megabyte_of_aliases_is_refused_before_it_is_parsed(gql):
    body = await gql(_aliases(50_000))  # ~1 MB, ~300,000 tokens
    assert error_codes(body) == ["QUERY_TOO_LARGE"]
    assert body["data"] is None
    assert "more than 50 aliases" in body["errors"][0]["message"]
    # Refused at the colon of the 51st alias: only the first kilobyte was read.
    [location] = body["errors"][0]["locations"]
    assert location == {"line": 1, "column": _aliases(51).rindex("a50:") + len("a50:")}


async def test_too_many_tokens_are_refused_before_they_are_parsed(gql, app):
    limit = app.state.api.request_limits.max_tokens
    # No alias and one field: only the token count is over (a list argument).
    values = ",".join(["1"] * (limit + 10))
    body = await gql(f"{{ projects(x: [{values}]) {{ id }} }}")
    assert error_codes(body) == ["QUERY_TOO_LARGE"]
    assert f"more than {limit} tokens" in body["errors"][0]["message"]


async def test_large_documents_within_the_limits_are_answered(gql, app):
    """Documents longer than a few kilobytes are parsed and validated in a worker thread:
    their answers and their errors are the same as on the event loop."""
    padding = "# " + "x" * (2 * INLINE_CHARACTERS) + "\n"
    ordinary = await gql(padding + "{ a: projects { id } b: flows { nodes { id } } }")
    assert ordinary == {"data": {"a": [], "b": {"nodes": []}}}
    many = "{ " + "projects { id name } " * 300 + "}"  # 900 fields, validated off the loop
    assert len(many) > INLINE_CHARACTERS
    assert (await gql(many)) == {"data": {"projects": []}}
    unknown = await gql(padding + "{ nope }")
    assert error_codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    broken = await gql(padding + "{ projects { id ")
    assert error_codes(broken) == ["GRAPHQL_PARSE_FAILED"]
    assert broken["errors"][0]["locations"] == [{"line": 2, "column": 17}]
    limit = app.state.api.request_limits.max_aliases
    assert error_codes(await gql(padding + _aliases(limit + 1))) == ["QUERY_TOO_LARGE"]


async def test_a_subscription_over_the_limits_gets_its_error(database):
    """Subscriptions go through strawberry's streaming path, which reports errors of
    its own parse only: a refused document must still come back as an error result."""
    context = ApiContext(
        db=database,
        events=database.events,
        tenant_id=DEFAULT_TENANT_ID,
        request_limits=RequestLimits(),
        principal=Principal.local(DEFAULT_TENANT_ID),
        stopping=asyncio.Event(),
    )
    hostile = (
        "subscription { " + " ".join(f'a{i}: flowRun(id: "x") {{ id }}' for i in range(60)) + " }"
    )
    for document in (hostile, "# " + "x" * (2 * INLINE_CHARACTERS) + "\n" + hostile):
        result = await build_schema().subscribe(document, context_value=context)
        if hasattr(result, "__anext__"):
            result = await asyncio.wait_for(result.__anext__(), 60)
        assert result.errors and result.errors[0].extensions["code"] == "QUERY_TOO_LARGE"
        assert "aliases" in result.errors[0].message


TRICKY = (
    # strings, block strings and comments hiding braces, colons and names; object values;
    # variables with defaults; directives; inline fragments; a fragment used twice
    """query Q($a: Int = 3, $o: JSON = {x: {y: "}:{"}}) @skip(if: false) {
      # a comment: with { braces } and a: colon
      first: flowRuns(first: $a, filter: {state: "a: {b}"}) {
        nodes { ...Run id ... on FlowRun { name state: state } }
        totalCount
      }
      ... @include(if: true) { projects { id n: name } }
      more: flowRuns { nodes { ...Run } }
    }
    fragment Run on FlowRun { id flow { versions { id } } s: state }""",
    """{ __typename a: projects { id } b: __schema { queryType { name } } }""",
    """{ flows { nodes { ... on Flow { ... on Flow { versions { id } } } } } }""",
    '''"""a description { x: y }""" query { projects { id } }''',
)


@pytest.mark.parametrize("document", [*TRICKY, "introspection"])
def test_the_scan_never_refuses_what_the_walk_accepts(document):
    """The lexer-level scan counts what is written, the walk what the parsed document
    asks for (fragments expanded): for every limit, at every value, a document the scan
    refuses is refused by the walk (or, for tokens, by graphql-core) with the same code."""
    from graphql import GraphQLSyntaxError, get_introspection_query, parse

    from proctor.server.api.document_scan import scan_document
    from proctor.server.api.request_limits import check_document

    if document == "introspection":
        document = get_introspection_query(descriptions=True)
    schema = build_schema()._schema
    parsed = parse(document)
    unbounded = RequestLimits(
        max_tokens=10**6, max_fields=10**6, max_aliases=10**6, max_depth=10**6, max_cost=10**9
    )
    assert scan_document(document, unbounded) is None
    refused = 0
    for limit in ("max_fields", "max_aliases", "max_depth", "max_tokens"):
        for value in range(600):
            limits = replace(unbounded, **{limit: value})
            scanned = scan_document(document, limits)
            if scanned is None:
                break  # at the document's own count, and above
            refused += 1
            if limit == "max_tokens":
                with pytest.raises(GraphQLSyntaxError, match=r"tokens\. Parsing aborted"):
                    parse(document, max_tokens=value)
            else:
                walked = check_document(schema, parsed, {}, limits)
                assert walked is not None, (limit, value, scanned)
                assert walked.extensions["code"] == scanned.code, (limit, value)
    assert refused  # the sweep did reach each document's counts


def test_the_scan_reads_long_tokens_whole_in_bounded_steps():
    """Strings, block strings, comments and names longer than one bounded regex match
    (64 Ki characters) are read in several steps, and still count as one token."""
    from proctor.server.api.document_scan import scan_document

    long = "y" * 200_000
    document = (
        f'{{ p: projects(x: "{long}", y: """{long} \\""" " "" {long}""") {{ id }}\n'
        f"# {long}\n" + " ".join(f"a{i}: projects {{ id }}" for i in range(50)) + f" {long} }}"
    )
    limits = RequestLimits()
    breach = scan_document(document, limits)
    assert breach is not None and "aliases" in breach.message
    assert breach.offset == document.rindex("a49:") + len("a49")
    assert breach.line == 3
    assert scan_document(document, replace(limits, max_aliases=51)) is None
    # `p { id }`, 50 x `projects { id }` and the long name, which is one field, not four.
    fields = 1 + 1 + 50 * 2 + 1
    assert scan_document(document, replace(limits, max_aliases=51, max_fields=fields)) is None
    over = scan_document(document, replace(limits, max_aliases=51, max_fields=fields - 1))
    assert over is not None and over.offset == document.rindex(long)
    # A string that never ends is left to the parser (which reports where).
    assert scan_document('{ projects(x: "' + long, limits) is None


async def test_aliases_over_the_limit_are_refused_and_nothing_runs(gql, app):
    limit = app.state.api.request_limits.max_aliases
    body = await gql(_aliases(limit + 1))
    assert error_codes(body) == ["QUERY_TOO_LARGE"]
    assert "aliases" in body["errors"][0]["message"] and body["data"] is None
    at_limit = await gql(_aliases(limit))
    assert "errors" not in at_limit
    assert len(at_limit["data"]) == limit
    # A mutation with too many aliases changes nothing.
    mutation = (
        "mutation { "
        + " ".join(f'p{i}: createProject(name: "alias-{i}") {{ id }}' for i in range(limit + 1))
        + " }"
    )
    assert error_codes(await gql(mutation)) == ["QUERY_TOO_LARGE"]
    names = {p["name"] for p in (await gql("{ projects { name } }"))["data"]["projects"]}
    assert not any(name.startswith("alias-") for name in names)


async def test_fields_over_the_limit_are_refused(gql, app):
    limit = app.state.api.request_limits.max_fields
    # No aliases: the same field repeated is one response key, but still walked.
    many = "{ " + "projects { id name } " * (limit // 3 + 1) + "}"
    assert error_codes(await gql(many)) == ["QUERY_TOO_LARGE"]


async def test_a_fragment_bomb_stops_at_the_field_budget(gql):
    # Each fragment spreads the previous one twice: 2**40 fields once expanded. The walk
    # must stop at the budget (an exponential walk would never answer).
    levels = 40
    fragments = ["fragment F0 on Query { projects { id } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    body = await gql(f"{{ ...F{levels - 1} }} " + " ".join(fragments))
    assert error_codes(body) == ["QUERY_TOO_LARGE"]


async def test_a_fragment_bomb_of_undefined_fragments_is_refused(gql):
    # The same bomb whose leaves spread a fragment that does not exist: no field is ever
    # counted, so the walk must count its spreads too (it used to run for ever).
    levels = 40
    fragments = ["fragment F0 on Query { ...Missing }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    body = await gql(f"{{ ...F{levels - 1} }} " + " ".join(fragments))
    assert error_codes(body) == ["QUERY_TOO_LARGE"]
    assert "selections" in body["errors"][0]["message"]


async def test_a_long_chain_of_fragments_is_walked_without_recursion(gql):
    # 1,500 fragments, each spreading the next: within the field and token limits. The
    # walk goes through without recursion; graphql-core's validation then refuses the
    # nesting itself (its own guard), as a validation error, not an internal one.
    chain = [f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(1_499)]
    body = await gql(
        "{ ...F0 } " + " ".join(chain) + " fragment F1499 on Query { projects { id } }"
    )
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    short = [f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(99)]
    body = await gql("{ ...F0 } " + " ".join(short) + " fragment F99 on Query { projects { id } }")
    assert body == {"data": {"projects": []}}


async def test_parser_nesting_guard_has_the_depth_code(gql):
    depth = 3_000
    body = await gql("{" + "flows {" * depth + "id" + "}" * depth + "}")
    assert error_codes(body) == ["QUERY_TOO_DEEP"]


async def test_introspection_and_ordinary_queries_still_work(gql):
    from graphql import get_introspection_query

    body = await gql(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    ordinary = await gql("{ a: projects { id } b: flows { nodes { id name } } }")
    assert "errors" not in ordinary


async def test_a_request_past_its_time_is_stopped(http, gql, app):
    agent = (await gql('mutation { registerAgent(name: "slow", labels: []) { id } }'))["data"]
    agent_id = agent["registerAgent"]["id"]
    # Lowered only now: on a busy machine even registering may take longer than 0.2 s.
    app.state.api.request_limits = replace(app.state.api.request_limits, max_request_seconds=0.2)
    # A long-poll that would wait 5 s for a due run is cut off at the request's budget.
    response = await _post(
        http,
        '{"query": "mutation ($a: ID!) { claimFlowRuns(agentId: $a, labels: [], limit: 1,'
        ' waitSeconds: 5) { id } }", '
        f'"variables": {{"a": "{agent_id}"}}}}',
    )
    assert response.status_code == 503
    assert error_codes(response.json()) == ["REQUEST_TIMEOUT"]
    app.state.api.request_limits = replace(app.state.api.request_limits, max_request_seconds=60)
    assert "errors" not in await gql("{ projects { id } }")
