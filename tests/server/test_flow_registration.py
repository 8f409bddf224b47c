"""Projects and flow registration: new / unchanged / archived versions, FlowSpec checks,
schedules, listing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from proctor.server.database import Database
from proctor.server.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import (
    archive_flow,
    get_flow,
    list_flow_tasks,
    list_flows,
    register_flow,
    set_schedule_active,
)
from proctor.server.services.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
)

Spec = Callable[..., dict[str, Any]]


async def test_projects_are_unique_per_tenant(database: Database, tenant_id: uuid.UUID):
    project = await create_project(database, tenant_id, " analytics ", "numbers")
    assert (project.name, project.description) == ("analytics", "numbers")
    with pytest.raises(Conflict, match="already exists"):
        await create_project(database, tenant_id, "analytics")
    assert [p.name for p in await list_projects(database, tenant_id)] == ["analytics"]
    assert (await get_project(database, tenant_id, "analytics")).id == project.id
    assert await delete_project(database, tenant_id, project.id) is True
    assert await delete_project(database, tenant_id, project.id) is False


async def test_another_tenant_sees_nothing(database: Database, registered_flow):
    stranger = uuid.uuid4()
    assert await list_projects(database, stranger) == []
    with pytest.raises(NotFound):
        await get_flow(database, stranger, registered_flow.id)
    with pytest.raises(NotFound, match="tenant"):
        await create_project(database, stranger, "mine")


async def test_register_new_then_unchanged_then_new_version(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    first = await register_flow(database, tenant_id, "proj", flow_spec(), create_project=True)
    assert (first.status, first.flow.version, first.archived) == ("new", 1, [])
    again = await register_flow(database, tenant_id, "proj", flow_spec())
    assert (again.status, again.flow.id) == ("unchanged", first.flow.id)
    changed = await register_flow(database, tenant_id, "proj", flow_spec(mapped=False))
    assert (changed.status, changed.flow.version) == ("new", 2)
    assert changed.archived == [first.flow.id]
    assert changed.flow.flow_group_id == first.flow.flow_group_id
    old = await get_flow(database, tenant_id, first.flow.id)
    assert old.archived is True
    active = await list_flows(database, tenant_id)
    assert [f.id for f in active.items] == [changed.flow.id]
    every = await list_flows(database, tenant_id, include_archived=True)
    assert [f.version for f in every.items] == [2, 1]


async def test_keep_previous_versions_active_when_asked(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    await register_flow(database, tenant_id, "proj", flow_spec(), create_project=True)
    second = await register_flow(
        database, tenant_id, "proj", flow_spec(mapped=False), archive_previous=False
    )
    assert second.archived == []
    assert (await list_flows(database, tenant_id)).total_count == 2


async def test_storage_and_labels_overrides_make_a_new_version(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    first = await register_flow(database, tenant_id, "proj", flow_spec(), create_project=True)
    moved = await register_flow(
        database,
        tenant_id,
        "proj",
        flow_spec(),
        storage={"type": "Local", "path": "/flows/etl.py"},
        labels=["gpu", "gpu", "eu"],
    )
    assert moved.status == "new" and moved.flow.fingerprint != first.flow.fingerprint
    assert moved.flow.storage == {"type": "Local", "path": "/flows/etl.py"}
    assert moved.flow.labels == ["eu", "gpu"]


async def test_get_flow_has_tasks_edges_and_spec(
    database: Database, tenant_id: uuid.UUID, registered_flow
):
    flow = await get_flow(database, tenant_id, registered_flow.id)
    assert [t.slug for t in flow.tasks] == ["inc", "n", "total", "who"]
    inc = next(t for t in flow.tasks if t.slug == "inc")
    assert inc.mapped is True and inc.is_parameter is False
    assert [(e.upstream, e.downstream) for e in flow.edges] == [("inc", "total")]
    assert flow.spec["fingerprint"] == flow.fingerprint
    assert flow.parameter_schema["required"] == ["who"]
    tasks = await list_flow_tasks(database, tenant_id, registered_flow.id)
    assert len(tasks) == 4


async def test_unknown_project_needs_create_project(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    with pytest.raises(NotFound, match="create_project=True"):
        await register_flow(database, tenant_id, "nope", flow_spec())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.update(spec_version=99), "spec_version 99"),
        (lambda s: s["tasks"].append(dict(s["tasks"][0])), "unique"),
        (lambda s: s["edges"].append({"upstream": "ghost", "downstream": "inc"}), "ghost"),
        (lambda s: s["tasks"][0].update(retries=True), "tasks.0.retries"),
        (lambda s: s.update(surprise=1), "surprise"),
        (lambda s: s.update(parameter_schema={"type": 12}), "JSON schema"),
        (lambda s: s.pop("name"), "name"),
    ],
)
async def test_malformed_specs_are_refused_with_the_field_named(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec, mutate, message
):
    spec = flow_spec()
    mutate(spec)
    with pytest.raises(InvalidInput, match=message):
        await register_flow(database, tenant_id, "proj", spec, create_project=True)
    assert await list_projects(database, tenant_id) == []  # nothing written


async def test_schedule_is_owned_by_the_flow_group(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    spec = flow_spec()
    spec["schedule"] = {"type": "Schedule", "clocks": [{"type": "IntervalClock", "interval": 60}]}
    result = await register_flow(database, tenant_id, "proj", spec, create_project=True)
    assert result.flow.schedule_active is True
    group = await set_schedule_active(database, tenant_id, result.flow.id, False)
    assert (group.id, group.schedule_active) == (result.flow.flow_group_id, False)
    group = await set_schedule_active(database, tenant_id, group.id, True)
    assert group.schedule_active is True
    unscheduled = await register_flow(database, tenant_id, "proj", flow_spec(name="other"))
    with pytest.raises(InvalidInput, match="no schedule"):
        await set_schedule_active(database, tenant_id, unscheduled.flow.id, True)


async def test_archive_is_idempotent_and_blocks_new_runs(
    database: Database, tenant_id: uuid.UUID, registered_flow
):
    archived = await archive_flow(database, tenant_id, registered_flow.id)
    assert archived.archived is True
    assert (await archive_flow(database, tenant_id, registered_flow.id)).archived
    with pytest.raises(Conflict, match="archived"):
        await create_flow_run(
            database, tenant_id, flow_id=registered_flow.id, parameters={"who": "x"}
        )


async def test_list_flows_filters_orders_and_pages(
    database: Database, tenant_id: uuid.UUID, flow_spec: Spec
):
    await create_project(database, tenant_id, "a")
    await create_project(database, tenant_id, "b")
    for name in ["delta", "alpha", "Charlie", "bravo"]:
        await register_flow(database, tenant_id, "a", flow_spec(name=name))
    await register_flow(database, tenant_id, "b", flow_spec(name="echo"))
    names = [f.name for f in (await list_flows(database, tenant_id)).items]
    assert names == sorted(names)
    in_b = await list_flows(database, tenant_id, project="b")
    assert [(f.name, f.project_name) for f in in_b.items] == [("echo", "b")]
    search = await list_flows(database, tenant_id, search="CHAR")
    assert [f.name for f in search.items] == ["Charlie"]
    first = await list_flows(database, tenant_id, first=2, order_by="-created")
    second = await list_flows(
        database, tenant_id, first=2, order_by="-created", after=first.end_cursor
    )
    third = await list_flows(
        database, tenant_id, first=2, order_by="-created", after=second.end_cursor
    )
    pages = [first, second, third]
    seen = [f.name for page in pages for f in page.items]
    assert seen == ["echo", "bravo", "Charlie", "alpha", "delta"]
    assert [p.has_next_page for p in pages] == [True, True, False]
    assert first.total_count == 5
    with pytest.raises(InvalidInput, match=r"different|belongs"):
        await list_flows(database, tenant_id, after=first.end_cursor)
    with pytest.raises(InvalidInput, match="order_by"):
        await list_flows(database, tenant_id, order_by="size")
    with pytest.raises(LimitExceeded):
        await list_flows(database, tenant_id, first=10**6)
