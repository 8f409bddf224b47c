"""Which runs an agent's key may use, decided in process (both databases).

`test_agent_scope.py` checks the same rules end to end through a server process and a
real agent; that process cannot see a mutated copy of the code, so these tests call the
checks directly on a real database. Rules under test (docs/security.md, "What an agent's
key may do"): an agent's key reads and reports only into the runs its key claimed; a run
claimed by another key, or by no key (claimed before the rule existed), is refused with
FORBIDDEN naming the run; a finished run may still be read, but not reopened or given new
task runs, and takes log lines for 15 minutes after it finished; a flow version is read
only when the key claimed a run of it; runs or flows that do not exist (in this team) are
left to the service (NOT_FOUND); people's keys and sessions are not limited."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from proctor.server.auth.agent_scope import (
    check_flow,
    check_runs,
    check_task_runs,
    refuse_for_agent,
)
from proctor.server.auth.principal import Principal
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import FlowRun
from proctor.server.database.types import utcnow
from proctor.server.errors import Forbidden, InvalidInput
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.plumbing import records
from proctor.server.services.task_runs import create_task_runs

KEY = uuid.uuid4()
OTHER_KEY = uuid.uuid4()
USES = ("read", "report", "reopen", "logs")
# Every role but the agent's, each asking with a key that claimed nothing.
PEOPLE = ("owner", "admin", "member", "read_only")


def agent(key: uuid.UUID | None = KEY) -> Principal:
    return Principal(tenant_id=DEFAULT_TENANT_ID, role="agent", kind="api_key", api_key_id=key)


def person(role: Any) -> Principal:
    return Principal(
        tenant_id=DEFAULT_TENANT_ID,
        role=role,
        kind="api_key",
        user_id=uuid.uuid4(),
        api_key_id=OTHER_KEY,
    )


async def _claimed(
    db: Database,
    run_id: uuid.UUID,
    key: uuid.UUID | None,
    state: str = "Running",
    ago: timedelta = timedelta(0),
) -> None:
    async with db.transaction() as session:
        run = await session.get(FlowRun, run_id)
        assert run is not None
        run.agent_key_id = key
        run.state = state
        run.state_type = state
        run.state_timestamp = utcnow() - ago


async def _refused(check: Any) -> Forbidden:
    with pytest.raises(Forbidden) as refused:
        await check
    return refused.value


@pytest.fixture
async def run(database: Database, flow_run: records.FlowRun) -> uuid.UUID:
    await _claimed(database, flow_run.id, KEY)
    return flow_run.id


@pytest.fixture
async def second_run(database: Database, registered_flow: records.FlowVersion) -> uuid.UUID:
    made = await create_flow_run(
        database, DEFAULT_TENANT_ID, flow_id=registered_flow.id, parameters={"who": "you"}
    )
    return made.id


async def test_a_key_uses_a_run_it_claimed_in_every_way(database: Database, run: uuid.UUID):
    for use in USES:
        await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], use)  # type: ignore[arg-type]
    # Ids come as text from GraphQL; repeated ids are one run.
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [str(run), run], "report")


@pytest.mark.parametrize("use", USES)
async def test_a_run_claimed_with_another_key_is_refused_naming_it(
    database: Database, run: uuid.UUID, use: Any
):
    refused = await _refused(check_runs(database, agent(OTHER_KEY), DEFAULT_TENANT_ID, [run], use))
    # docs/security.md: "flow run ... was not claimed with this key"
    assert f"flow run {run} was not claimed with this key." in refused.message
    assert refused.details == {"flow_run_id": str(run)}


async def test_one_run_not_claimed_among_claimed_ones_refuses_the_request(
    database: Database, run: uuid.UUID, second_run: uuid.UUID
):
    await _claimed(database, second_run, OTHER_KEY)
    refused = await _refused(
        check_runs(database, agent(), DEFAULT_TENANT_ID, [run, second_run], "read")
    )
    assert str(second_run) in refused.message


async def test_a_run_claimed_before_keys_were_recorded_belongs_to_no_agent_key(
    database: Database, run: uuid.UUID
):
    await _claimed(database, run, None)
    refused = await _refused(check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "report"))
    assert "not claimed with this key" in refused.message
    # An agent principal without a key (it always has one) may use no run either.
    await _refused(check_runs(database, agent(None), DEFAULT_TENANT_ID, [run], "read"))


@pytest.mark.parametrize("role", PEOPLE)
async def test_people_are_not_limited_to_claimed_runs(
    database: Database, run: uuid.UUID, second_run: uuid.UUID, role: Any
):
    await _claimed(database, run, KEY, state="Success", ago=timedelta(days=1))
    for use in USES:
        await check_runs(database, person(role), DEFAULT_TENANT_ID, [run, second_run], use)
    await check_runs(database, None, DEFAULT_TENANT_ID, [run], "reopen")


async def test_unknown_runs_and_other_teams_runs_are_left_to_the_service(
    database: Database, run: uuid.UUID
):
    await check_runs(database, agent(OTHER_KEY), DEFAULT_TENANT_ID, [uuid.uuid4()], "report")
    await check_runs(database, agent(OTHER_KEY), uuid.uuid4(), [run], "report")
    await check_runs(database, agent(OTHER_KEY), DEFAULT_TENANT_ID, [], "report")


async def test_an_id_that_is_not_one_is_invalid_input(database: Database, run: uuid.UUID):
    with pytest.raises(InvalidInput) as invalid:
        await check_runs(database, agent(), DEFAULT_TENANT_ID, [run, "not-an-id"], "read")
    assert "flow run 'not-an-id' is not a valid id" in invalid.value.message
    with pytest.raises(InvalidInput) as invalid:
        await check_task_runs(database, agent(), DEFAULT_TENANT_ID, ["x" * 100])
    assert invalid.value.message.startswith("task run ")
    # The message quotes at most 60 characters of what it was given.
    assert "x" * 60 in invalid.value.message and "x" * 61 not in invalid.value.message


@pytest.mark.parametrize("state", ["Success", "Failed", "Cancelled"])
async def test_a_finished_run_is_read_but_not_reopened(
    database: Database, run: uuid.UUID, state: str
):
    await _claimed(database, run, KEY, state=state, ago=timedelta(days=1))
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "read")
    # Reporting is left to the state rules (finished_is_final), not refused here.
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "report")
    refused = await _refused(check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "reopen"))
    assert f"has finished ({state})" in refused.message
    assert "may no longer reopen task runs or add task runs to it" in refused.message
    assert refused.details == {"flow_run_id": str(run)}


@pytest.mark.parametrize("state", ["Running", "Cancelling", "Scheduled"])
async def test_a_run_not_finished_may_be_reopened(database: Database, run: uuid.UUID, state: str):
    await _claimed(database, run, KEY, state=state, ago=timedelta(days=1))
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "reopen")
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "logs")


async def test_log_lines_are_taken_for_fifteen_minutes_after_the_run_finished(
    database: Database, run: uuid.UUID
):
    await _claimed(database, run, KEY, state="Success", ago=timedelta(minutes=14))
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "logs")
    await _claimed(database, run, KEY, state="Success", ago=timedelta(minutes=16))
    refused = await _refused(check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "logs"))
    assert "has finished (Success): an agent's key may no longer add log lines to it" in (
        refused.message
    )
    # Reading it stays allowed however long ago it finished.
    await check_runs(database, agent(), DEFAULT_TENANT_ID, [run], "read")


async def test_task_runs_are_read_through_the_run_that_holds_them(
    database: Database, run: uuid.UUID, second_run: uuid.UUID
):
    [own] = await create_task_runs(database, DEFAULT_TENANT_ID, run, [("step", -1)])
    [other] = await create_task_runs(database, DEFAULT_TENANT_ID, second_run, [("step", -1)])
    await _claimed(database, second_run, OTHER_KEY)
    await check_task_runs(database, agent(), DEFAULT_TENANT_ID, [own.id, str(own.id)])
    refused = await _refused(check_task_runs(database, agent(), DEFAULT_TENANT_ID, [other.id]))
    assert str(second_run) in refused.message
    await _refused(check_task_runs(database, agent(), DEFAULT_TENANT_ID, [own.id, other.id]))
    # A finished run's task runs are still read.
    await _claimed(database, run, KEY, state="Failed", ago=timedelta(days=1))
    await check_task_runs(database, agent(), DEFAULT_TENANT_ID, [own.id])
    # Unknown task runs, another team, no ids, and people: nothing refused here.
    await check_task_runs(database, agent(), DEFAULT_TENANT_ID, [uuid.uuid4()])
    await check_task_runs(database, agent(), uuid.uuid4(), [other.id])
    await check_task_runs(database, agent(), DEFAULT_TENANT_ID, [])
    await check_task_runs(database, person("read_only"), DEFAULT_TENANT_ID, [other.id])


async def test_a_flow_version_is_read_only_by_a_key_that_claimed_a_run_of_it(
    database: Database, run: uuid.UUID, registered_flow: records.FlowVersion
):
    flow = registered_flow.id
    await check_flow(database, agent(), DEFAULT_TENANT_ID, flow)
    await check_flow(database, agent(), DEFAULT_TENANT_ID, str(flow))
    refused = await _refused(check_flow(database, agent(OTHER_KEY), DEFAULT_TENANT_ID, flow))
    assert f"claimed no run of flow {flow}" in refused.message
    assert refused.details == {"flow_id": str(flow)}
    # However the run ended, it was claimed: the flow stays readable.
    await _claimed(database, run, KEY, state="Success", ago=timedelta(days=1))
    await check_flow(database, agent(), DEFAULT_TENANT_ID, flow)
    # No flow of that id (in this team): left to the service.
    await check_flow(database, agent(OTHER_KEY), DEFAULT_TENANT_ID, uuid.uuid4())
    await check_flow(database, agent(OTHER_KEY), uuid.uuid4(), flow)
    await check_flow(database, person("member"), DEFAULT_TENANT_ID, flow)
    await check_flow(database, None, DEFAULT_TENANT_ID, flow)
    with pytest.raises(InvalidInput) as invalid:
        await check_flow(database, agent(), DEFAULT_TENANT_ID, "no-such-id")
    assert invalid.value.message == "flow 'no-such-id' is not a valid id."


async def test_a_claimed_run_of_one_flow_does_not_open_another_flow(
    database: Database,
    run: uuid.UUID,
    registered_flow: records.FlowVersion,
    flow_spec: Callable[..., dict[str, Any]],
):
    other = await register_flow(
        database, DEFAULT_TENANT_ID, "proj", flow_spec("other"), create_project=True
    )
    await check_flow(database, agent(), DEFAULT_TENANT_ID, registered_flow.id)
    refused = await _refused(check_flow(database, agent(), DEFAULT_TENANT_ID, other.flow.id))
    assert f"claimed no run of flow {other.flow.id}" in refused.message


async def test_a_flow_with_runs_claimed_only_by_other_keys_is_refused(
    database: Database, run: uuid.UUID, registered_flow: records.FlowVersion
):
    await _claimed(database, run, OTHER_KEY)
    await _refused(check_flow(database, agent(), DEFAULT_TENANT_ID, registered_flow.id))


@pytest.mark.parametrize("role", PEOPLE)
def test_fields_an_agent_never_needs_are_refused_to_its_key_only(role: Any):
    with pytest.raises(Forbidden) as refused:
        refuse_for_agent(agent(), "list a flow's versions")
    assert refused.value.message == "An agent's key may not list a flow's versions."
    with pytest.raises(Forbidden):
        refuse_for_agent(agent(None), "list a flow's versions")
    refuse_for_agent(person(role), "list a flow's versions")
    refuse_for_agent(None, "list a flow's versions")
