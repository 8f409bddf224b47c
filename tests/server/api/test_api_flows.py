"""Projects and flows through GraphQL: registration, versions, archiving, schedules."""

from __future__ import annotations

import copy

from tests.server.api.graphql_results import data_of, error_codes

FLOW_FIELDS = "id name version archived projectName labels parameterSchema fingerprint"


async def test_projects_create_list_delete(gql):
    created = data_of(
        await gql('mutation { createProject(name: "etl", description: "d") { id name } }')
    )["createProject"]
    again = await gql('mutation { createProject(name: "etl") { id } }')
    assert error_codes(again) == ["CONFLICT"]
    assert data_of(await gql("{ projects { name description flowCount } }"))["projects"] == [
        {"name": "etl", "description": "d", "flowCount": 0}
    ]
    deleted = await gql("mutation ($id: ID!) { deleteProject(id: $id) }", {"id": created["id"]})
    assert data_of(deleted)["deleteProject"] is True
    deleted = await gql("mutation ($id: ID!) { deleteProject(id: $id) }", {"id": created["id"]})
    assert data_of(deleted)["deleteProject"] is False


REGISTER = f"""mutation ($input: RegisterFlowInput!) {{
  registerFlow(input: $input) {{ status archived flow {{ {FLOW_FIELDS} }} }}
}}"""


async def test_register_flow_versions_and_archive(gql, flow_spec):
    spec = flow_spec()
    missing_project = await gql(REGISTER, {"input": {"project": "nope", "spec": spec}})
    assert error_codes(missing_project) == ["NOT_FOUND"]

    first = data_of(
        await gql(REGISTER, {"input": {"project": "proj", "spec": spec, "createProject": True}})
    )["registerFlow"]
    assert first["status"] == "new"
    assert first["flow"]["version"] == 1
    assert first["flow"]["parameterSchema"]["properties"]["n"]["default"] == 3

    same = data_of(await gql(REGISTER, {"input": {"project": "proj", "spec": spec}}))
    assert same["registerFlow"]["status"] == "unchanged"
    assert same["registerFlow"]["flow"]["id"] == first["flow"]["id"]

    changed = copy.deepcopy(flow_spec(labels=("gpu",)))
    second = data_of(await gql(REGISTER, {"input": {"project": "proj", "spec": changed}}))
    assert second["registerFlow"]["flow"]["version"] == 2
    assert second["registerFlow"]["archived"] == [first["flow"]["id"]]

    listed = data_of(await gql("{ flows { nodes { name version } totalCount } }"))["flows"]
    assert listed == {"nodes": [{"name": "etl", "version": 2}], "totalCount": 1}
    everything = data_of(await gql("{ flows(includeArchived: true) { totalCount } }"))
    assert everything["flows"]["totalCount"] == 2

    detail = data_of(
        await gql(
            """query ($id: ID!) { flow(id: $id) {
                 version tasks { slug mapped isParameter } edges { upstream downstream }
                 versions { version archived } spec
               } }""",
            {"id": second["registerFlow"]["flow"]["id"]},
        )
    )["flow"]
    assert {task["slug"] for task in detail["tasks"]} >= {"inc", "total", "n"}
    assert {"upstream": "inc", "downstream": "total"} in detail["edges"]
    assert detail["versions"] == [
        {"version": 2, "archived": False},
        {"version": 1, "archived": True},
    ]
    assert detail["spec"]["name"] == "etl"

    archived = await gql(
        "mutation ($id: ID!) { archiveFlow(id: $id) { archived } }",
        {"id": second["registerFlow"]["flow"]["id"]},
    )
    assert data_of(archived)["archiveFlow"]["archived"] is True


async def test_flow_search_pagination_and_not_found(gql, flow_spec):
    for name in ("alpha", "beta", "gamma"):
        await gql(
            REGISTER,
            {"input": {"project": "p", "spec": flow_spec(name), "createProject": True}},
        )
    page = data_of(
        await gql("{ flows(first: 2) { nodes { name } pageInfo { endCursor hasNextPage } } }")
    )["flows"]
    assert [n["name"] for n in page["nodes"]] == ["alpha", "beta"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = data_of(
        await gql(
            "query ($after: String) { flows(first: 2, after: $after) {"
            " nodes { name } pageInfo { hasNextPage } } }",
            {"after": page["pageInfo"]["endCursor"]},
        )
    )["flows"]
    assert rest == {"nodes": [{"name": "gamma"}], "pageInfo": {"hasNextPage": False}}
    found = data_of(await gql('{ flows(search: "AMM") { nodes { name } } }'))["flows"]
    assert found["nodes"] == [{"name": "gamma"}]
    ordered = data_of(await gql("{ flows(orderBy: CREATED_DESC) { nodes { name } } }"))
    assert [n["name"] for n in ordered["flows"]["nodes"]] == ["gamma", "beta", "alpha"]

    bad_cursor = await gql('{ flows(after: "garbage") { totalCount } }')
    assert error_codes(bad_cursor) == ["INVALID_INPUT"]
    unknown = await gql('{ flow(id: "00000000-0000-4000-8000-00000000abcd") { id } }')
    assert error_codes(unknown) == ["NOT_FOUND"]
    assert unknown["data"] is None


async def test_schedule_toggle(gql, flow_spec):
    registered = data_of(
        await gql(REGISTER, {"input": {"project": "p", "spec": flow_spec(), "createProject": True}})
    )["registerFlow"]["flow"]
    toggled = await gql(
        "mutation ($id: ID!) { setScheduleActive(flowId: $id, active: true) { scheduleActive } }",
        {"id": registered["id"]},
    )
    # The flow has no schedule: turning it on is refused, with a code.
    assert error_codes(toggled) == ["INVALID_INPUT"]
    off = await gql(
        "mutation ($id: ID!) { setScheduleActive(flowId: $id, active: false) {"
        " scheduleActive name } }",
        {"id": registered["id"]},
    )
    assert data_of(off)["setScheduleActive"] == {"scheduleActive": False, "name": "etl"}
