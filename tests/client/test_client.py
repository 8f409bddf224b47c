"""`proctor.client` against the real server app: typed results, errors, paging, retries.

What the API answers is tested on the server in process (`in_process`: the real app and
SQLite database, no socket); what needs a socket (a server that is down) has none at all.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from proctor.client import (
    Client,
    Conflict,
    FlowRunStateChange,
    InvalidInput,
    LogRecord,
    NotFound,
    RetryPolicy,
    ServerUnavailable,
    TaskRunStateChange,
)
from proctor.core.states import Running, Success


def test_sync_client_round_trip(in_process, flow_spec_dict):
    with in_process.client() as client:
        project = client.create_project(f"p-{uuid.uuid4().hex[:6]}", "numbers")
        with pytest.raises(Conflict) as conflict:
            client.create_project(project.name)
        assert conflict.value.code == "CONFLICT"
        assert project.name in [p.name for p in client.list_projects()]

        result = client.register_flow(project.name, flow_spec_dict)
        assert result.status == "new" and result.flow.version == 1
        assert client.register_flow(project.name, flow_spec_dict).status == "unchanged"
        flow = client.get_flow(result.flow.id)
        assert {task.slug for task in flow.tasks} >= {"double", "add"}

        run = client.create_flow_run(flow.id, parameters={"n": 5}, idempotency_key="k")
        assert run.state == "Scheduled" and run.parameters == {"n": 5}
        assert client.create_flow_run(flow.id, idempotency_key="k").id == run.id
        with pytest.raises(InvalidInput):
            client.create_flow_run(flow.id, parameters={"n": "five"})

        [started] = client.set_flow_run_states(
            [FlowRunStateChange(flow_run_id=run.id, state=Running(), version=run.version)]
        )
        assert started.accepted and started.version == run.version + 1
        results = client.set_task_run_states(
            [
                TaskRunStateChange(
                    flow_run_id=run.id, task_slug="double", map_index=i, state=Success()
                )
                for i in range(3)
            ]
        )
        assert all(r.accepted for r in results)
        assert client.write_logs([LogRecord(flow_run_id=run.id, message="hi", level=30)]) == 1

        page = client.list_task_runs(run.id, task_slug="double")
        assert sorted(t.map_index for t in page.items) == [0, 1, 2]
        assert [line.message for line in client.list_logs(run.id).items] == ["hi"]
        detail = client.get_flow_run(run.id)
        assert [s.state for s in detail.states] == ["Scheduled", "Running"]
        runs = client.list_flow_runs(flow_id=flow.id, states=["Running"])
        assert [r.id for r in runs.items] == [run.id]

        with pytest.raises(NotFound) as missing:
            client.get_flow_run(str(uuid.uuid4()))
        assert missing.value.code == "NOT_FOUND"
        assert client.cancel_flow_run(run.id).state == "Cancelling"
        assert client.delete_flow_run(run.id) is True


async def test_async_client_on_the_real_server(in_process, flow_spec_dict):
    async with in_process.async_client() as client:
        project = await client.create_project(f"a-{uuid.uuid4().hex[:6]}")
        registered = await client.register_flow(project.name, flow_spec_dict)
        run = await client.create_flow_run(project=project.name, flow_name="numbers")
        assert run.flow_id == registered.flow.id
        created = await client.create_task_runs(run.id, [("add", -1), ("double", 0)])
        assert [(t.task_slug, t.map_index) for t in created] == [("add", -1), ("double", 0)]
        counts = await client.run_counts(bucket_seconds=60)
        assert sum(c.count for c in counts) >= 1
        assert await client.list_agents() == []
        data = await client.query("{ projects { name } }")
        assert {"name": project.name} in data["projects"]


def test_pages_of_flow_runs_follow_their_cursor(in_process, flow_spec_dict):
    with in_process.client() as client:
        project = client.create_project(f"pg-{uuid.uuid4().hex[:6]}")
        flow = client.register_flow(project.name, flow_spec_dict).flow
        created = [client.create_flow_run(flow.id, name=f"run-{i}").id for i in range(5)]
        seen: list[str] = []
        pages = 0
        after = None
        while True:
            page = client.list_flow_runs(flow_id=flow.id, first=2, after=after)
            pages += 1
            assert len(page.items) <= 2
            seen += [run.id for run in page.items]
            if not page.has_next_page:
                break
            after = page.end_cursor
        assert pages == 3
        assert sorted(seen) == sorted(created)
        with pytest.raises(InvalidInput):
            client.list_flow_runs(flow_id=flow.id, first=2, after="not a cursor")


def test_errors_map_to_their_client_exceptions(in_process, flow_spec_dict):
    with in_process.client() as client:
        with pytest.raises(NotFound) as missing:
            client.get_flow(str(uuid.uuid4()))
        assert missing.value.code == "NOT_FOUND"
        with pytest.raises(InvalidInput) as unknown:
            client.query("{ noSuchField }")
        assert unknown.value.code.startswith("GRAPHQL")
        with pytest.raises(NotFound) as no_project:
            client.register_flow("no-such-project", flow_spec_dict, create_project=False)
        assert "no-such-project" in no_project.value.message
        run_id = str(uuid.uuid4())
        with pytest.raises(NotFound):
            client.cancel_flow_run(run_id)


def test_server_down_is_a_clear_error_after_bounded_retries():
    with socket_free_port() as port:
        url = f"http://127.0.0.1:{port}"
    waited: list[float] = []

    class Recorded(RetryPolicy):
        def delays(self):  # type: ignore[no-untyped-def]
            for delay in super().delays():
                waited.append(delay)
                yield delay

    retry = Recorded(attempts=3, base_delay=0.05, max_delay=0.1, jitter=False)
    with Client(url, retry=retry) as client, pytest.raises(ServerUnavailable) as error:
        client.list_projects()
    # Bounded: three attempts in all, two waits between them, then the error.
    assert waited == [0.05, 0.1]
    assert f"cannot reach the Proctor server at {url}" in str(error.value)
    assert "proctor server start" in str(error.value)


def test_retries_on_5xx_only_when_idempotent():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.content.decode())
        if len(calls) < 3:
            return httpx.Response(503, text="restarting")
        return httpx.Response(200, json={"data": {"projects": []}})

    retry = RetryPolicy(attempts=4, base_delay=0.0, jitter=False)
    with Client("http://proctor.test", retry=retry, transport=httpx.MockTransport(handler)) as c:
        assert c.list_projects() == []
        assert len(calls) == 3
        calls.clear()
        with pytest.raises(ServerUnavailable):
            c.write_logs([LogRecord(flow_run_id="x", message="m")])  # not idempotent
        assert len(calls) == 1


def test_query_resends_a_read_but_sends_a_mutation_once():
    # A mutation whose answer was lost may have been applied: sending it again could
    # create a second run (seen with 50 aliased createFlowRun on a loaded machine).
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.content.decode())
        if len(calls) < 3:
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json={"data": {"projects": []}})

    retry = RetryPolicy(attempts=4, base_delay=0.0, jitter=False)
    with Client("http://proctor.test", retry=retry, transport=httpx.MockTransport(handler)) as c:
        assert c.query("query Named { projects { id } }") == {"projects": []}
        assert len(calls) == 3
        for once in (
            'mutation { createProject(name: "x") { id } }',
            '{ projects { id } } mutation M { createProject(name: "x") { id } }',
            "{ projects { id ",  # does not parse: the server says why, once
        ):
            calls.clear()
            with pytest.raises(ServerUnavailable):
                c.query(once)
            assert len(calls) == 1, once


class socket_free_port:
    """A port nobody listens on (bound, then released)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
