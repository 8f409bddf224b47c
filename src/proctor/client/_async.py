"""`AsyncClient`: the asyncio client of the Proctor server's GraphQL API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx

from proctor.client import _operations as ops
from proctor.client._config import resolve_config
from proctor.client._errors import ServerUnavailable
from proctor.client._local import local_transport
from proctor.client._models import (
    Agent,
    ConcurrencyLimit,
    Flow,
    FlowGroup,
    FlowRun,
    FlowRunConfig,
    FlowRunContext,
    FlowRunStateChange,
    LogEntry,
    LogRecord,
    Page,
    Project,
    RegisterResult,
    RunCount,
    SecretInfo,
    TaskRun,
    TaskRunSlots,
    TaskRunStateChange,
    TransitionResult,
)
from proctor.client._results import LOCATION_QUERY, find_task_run, full_location, read_result
from proctor.client._retry import RetryPolicy
from proctor.client._wire import Operation, RetryableStatus, decode, reads_only, status_error

T = TypeVar("T")


class AsyncClient:
    """Talks to a Proctor server; use as `async with AsyncClient() as client: ...`.

    `api_url` defaults to `PROCTOR_API_URL` (http://127.0.0.1:4200). `transport` is any
    httpx async transport (`httpx.ASGITransport(app)` when the app runs on the caller's
    loop; `proctor.testing.InProcessServer.async_transport()` when it runs on its own).
    Failures raise `ProctorClientError` subclasses; see `proctor.client` for which calls
    retry.
    """

    def __init__(
        self,
        api_url: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = resolve_config(api_url, api_key, timeout, retry)
        if transport is None:  # a server in this process (proctor.testing), else the network
            transport = local_transport(self.config.api_url, httpx.AsyncBaseTransport)
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=self.config.timeout,
            headers=self.config.headers(),
        )

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the exchange ----------------------------------------------------------------

    async def execute(self, operation: Operation[T]) -> T:
        """Send one operation, retrying as its `idempotent` flag allows."""
        body = operation.body()
        delays = self.config.retry.delays()
        url = self.config.graphql_url
        timeout = operation.timeout(self.config.timeout)
        while True:
            try:
                response = await self._http.post(url, content=body, timeout=timeout)
                return operation.parse(decode(response))
            except RetryableStatus as error:
                if not operation.idempotent or (delay := next(delays, None)) is None:
                    if error.response.status_code == 500:
                        raise status_error(error.response) from None
                    status = error.response.status_code
                    raise ServerUnavailable(self.config.api_url, f"HTTP {status}") from None
            except httpx.TransportError as error:
                retry = self.config.retry.should_retry(error, idempotent=operation.idempotent)
                if not retry or (delay := next(delays, None)) is None:
                    raise ServerUnavailable(self.config.api_url, type(error).__name__) from None
            await asyncio.sleep(delay)

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run any GraphQL document; returns its `data`. A query is retried after a
        timeout or a lost connection; a mutation is sent once (a retry could create twice)."""
        idempotent = reads_only(document)
        return await self.execute(Operation(document, variables or {}, idempotent=idempotent))

    # -- projects ----------------------------------------------------------------------

    async def create_project(self, name: str, description: str | None = None) -> Project:
        return await self.execute(ops.create_project(name, description))

    async def list_projects(self) -> list[Project]:
        return await self.execute(ops.list_projects())

    async def delete_project(self, project_id: str) -> bool:
        return await self.execute(ops.delete_project(project_id))

    # -- flows -------------------------------------------------------------------------

    async def register_flow(
        self,
        project: str,
        spec: dict[str, Any],
        *,
        storage: dict[str, Any] | None = None,
        labels: Sequence[str] | None = None,
        archive_previous: bool = True,
        create_project: bool = False,
    ) -> RegisterResult:
        return await self.execute(
            ops.register_flow(
                project,
                spec,
                storage=storage,
                labels=labels,
                archive_previous=archive_previous,
                create_project=create_project,
            )
        )

    async def get_flow(self, flow_id: str) -> Flow:
        return await self.execute(ops.get_flow(flow_id))

    async def list_flows(
        self,
        *,
        project: str | None = None,
        name: str | None = None,
        search: str | None = None,
        include_archived: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[Flow]:
        return await self.execute(
            ops.list_flows(
                project=project,
                name=name,
                search=search,
                include_archived=include_archived,
                first=first,
                after=after,
            )
        )

    async def archive_flow(self, flow_id: str) -> Flow:
        return await self.execute(ops.archive_flow(flow_id))

    async def set_schedule_active(self, flow_id: str, active: bool) -> FlowGroup:
        """Turn the schedule of a flow (any version's id, or its flow group's) on or off;
        off deletes the runs the scheduler made that have not started."""
        return await self.execute(ops.set_schedule_active(flow_id, active))

    # -- flow runs ---------------------------------------------------------------------

    async def create_flow_run(
        self,
        flow_id: str | None = None,
        *,
        project: str | None = None,
        flow_name: str | None = None,
        parameters: dict[str, Any] | None = None,
        scheduled_start_time: datetime | None = None,
        labels: Sequence[str] | None = None,
        idempotency_key: str | None = None,
        name: str | None = None,
        env: dict[str, str] | None = None,
    ) -> FlowRun:
        """`env`: environment variables laid over the flow's run config for this run."""
        return await self.execute(
            ops.create_flow_run(
                flow_id=flow_id,
                project=project,
                flow_name=flow_name,
                parameters=parameters,
                scheduled_start_time=scheduled_start_time,
                labels=labels,
                idempotency_key=idempotency_key,
                name=name,
                env=env,
            )
        )

    async def get_flow_run(self, flow_run_id: str) -> FlowRun:
        return await self.execute(ops.get_flow_run(flow_run_id))

    async def list_flow_runs(
        self,
        *,
        flow_id: str | None = None,
        flow_group_id: str | None = None,
        project: str | None = None,
        states: Sequence[str] | None = None,
        scheduled_before: datetime | None = None,
        scheduled_after: datetime | None = None,
        order_by: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[FlowRun]:
        return await self.execute(
            ops.list_flow_runs(
                flow_id=flow_id,
                flow_group_id=flow_group_id,
                project=project,
                states=states,
                scheduled_before=scheduled_before,
                scheduled_after=scheduled_after,
                order_by=order_by,
                first=first,
                after=after,
            )
        )

    async def set_flow_run_states(
        self, changes: Iterable[FlowRunStateChange]
    ) -> list[TransitionResult]:
        return await self.execute(ops.set_flow_run_states(changes))

    async def set_task_run_states(
        self, changes: Iterable[TaskRunStateChange]
    ) -> list[TransitionResult]:
        return await self.execute(ops.set_task_run_states(changes))

    async def create_task_runs(
        self, flow_run_id: str, items: Iterable[tuple[str, int]]
    ) -> list[TaskRun]:
        return await self.execute(ops.create_task_runs(flow_run_id, items))

    async def list_task_runs(
        self,
        flow_run_id: str,
        *,
        task_slug: str | None = None,
        states: Sequence[str] | None = None,
        map_index: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[TaskRun]:
        return await self.execute(
            ops.list_task_runs(
                flow_run_id,
                task_slug=task_slug,
                states=states,
                map_index=map_index,
                first=first,
                after=after,
            )
        )

    async def cancel_flow_run(self, flow_run_id: str) -> FlowRun:
        return await self.execute(ops.cancel_flow_run(flow_run_id))

    async def restart_flow_run(self, flow_run_id: str) -> FlowRun:
        """Re-run a finished run's failed task runs and everything downstream of them,
        reusing the successful ones; the run is Scheduled now for an agent."""
        return await self.execute(ops.restart_flow_run(flow_run_id))

    async def delete_flow_run(self, flow_run_id: str) -> bool:
        return await self.execute(ops.delete_flow_run(flow_run_id))

    async def heartbeat_flow_runs(self, flow_run_ids: Iterable[str]) -> list[FlowRun]:
        """Tell the server these runs' process is alive; returns the runs as they are now
        (a `Cancelling` state means: stop)."""
        return await self.execute(ops.heartbeat_flow_runs(flow_run_ids))

    async def get_flow_run_context(self, flow_run_id: str) -> FlowRunContext:
        """The run, its flow version's full spec and every task run, in one round trip."""
        return await self.execute(ops.get_flow_run_context(flow_run_id))

    async def load_result(self, flow_run_id: str, task_slug: str, map_index: int = -1) -> Any:
        """The value a task run persisted, read here from where its run wrote it (as
        `Client.load_result`; the read itself runs in a worker thread).

        The server never reads results; this machine must reach the result's location
        (the same folder, bucket or URL the flow's result store names).
        """
        context = await self.get_flow_run_context(flow_run_id)
        task_run = find_task_run(context, flow_run_id, task_slug, map_index)
        full = full_location(await self.query(LOCATION_QUERY, {"id": task_run.id}))
        return await asyncio.to_thread(read_result, context, flow_run_id, task_run, full)

    # -- logs, agents, dashboard -----------------------------------------------------------

    async def write_logs(self, logs: Iterable[LogRecord]) -> int:
        return await self.execute(ops.write_logs(logs))

    async def list_logs(
        self,
        flow_run_id: str,
        *,
        task_slug: str | None = None,
        level_min: int | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        map_index: int | None = None,
    ) -> Page[LogEntry]:
        return await self.execute(
            ops.list_logs(
                flow_run_id,
                task_slug=task_slug,
                level_min=level_min,
                search=search,
                first=first,
                after=after,
                map_index=map_index,
            )
        )

    async def list_agents(self) -> list[Agent]:
        return await self.execute(ops.list_agents())

    async def register_agent(
        self, name: str, labels: Sequence[str], version: str | None = None
    ) -> Agent:
        """Register an agent (or update the one with this name: same id)."""
        return await self.execute(ops.register_agent(name, labels, version))

    async def agent_heartbeat(self, agent_id: str, problem: str | None = None) -> Agent:
        """The agent is alive; `problem`: what keeps it from starting runs now."""
        return await self.execute(ops.agent_heartbeat(agent_id, problem))

    async def flow_run_configs(self, flow_run_ids: Sequence[str]) -> list[FlowRunConfig]:
        """The run configs agents start these runs with (the flow's, with the run's
        own `env` over it); unknown ids are left out."""
        return await self.execute(ops.flow_run_configs(flow_run_ids))

    async def claim_flow_runs(
        self, agent_id: str, labels: Sequence[str], limit: int = 1, wait_seconds: float = 0
    ) -> list[FlowRun]:
        """Claim up to `limit` due runs whose labels are among `labels` (they become
        Submitted by this agent); with none due, the server waits up to `wait_seconds`
        (long-poll, capped at 30 s by default) and answers as soon as one is. An empty
        list: nothing became due in time."""
        return await self.execute(ops.claim_flow_runs(agent_id, labels, limit, wait_seconds))

    # -- concurrency limits --------------------------------------------------------------

    async def list_concurrency_limits(self, kind: str | None = None) -> list[ConcurrencyLimit]:
        """The team's limits ("flow_label" / "task_tag"), with slots in use and holders."""
        return await self.execute(ops.list_concurrency_limits(kind))

    async def set_concurrency_limit(self, kind: str, key: str, limit: int) -> ConcurrencyLimit:
        """Create or change a limit: `kind` "task_tag" (task runs per tag) or "flow_label"
        (flow runs per label)."""
        return await self.execute(ops.set_concurrency_limit(kind, key, limit))

    async def delete_concurrency_limit(self, kind: str, key: str) -> bool:
        """Remove a limit; False if there was none."""
        return await self.execute(ops.delete_concurrency_limit(kind, key))

    async def acquire_task_run_slots(self, requests: Iterable[dict[str, Any]]) -> TaskRunSlots:
        """Slots for task runs about to start (items: flowRunId, taskSlug, mapIndex,
        tags); what a run process asks. Refused ones have code QUEUED: ask again later."""
        return await self.execute(ops.acquire_task_run_slots(requests))

    async def run_counts(
        self, since: datetime | None = None, bucket_seconds: int = 3600
    ) -> list[RunCount]:
        return await self.execute(ops.run_counts(since, bucket_seconds))

    # -- secrets ---------------------------------------------------------------------------

    async def list_secrets(self) -> list[SecretInfo]:
        """The team's secrets: names and who set them when (never values)."""
        return await self.execute(ops.list_secrets())

    async def set_secret(self, name: str, value: str) -> SecretInfo:
        """Create secret `name` or replace its value."""
        return await self.execute(ops.set_secret(name, value))

    async def delete_secret(self, name: str) -> bool:
        """Delete secret `name`; False if there was none."""
        return await self.execute(ops.delete_secret(name))

    async def secret_value(self, name: str, flow_run_id: str) -> str:
        """A secret's value for flow run `flow_run_id` (Submitted or Running; what a run's
        process asks while it runs)."""
        return await self.execute(ops.secret_value(name, flow_run_id))


__all__ = ["AsyncClient"]
