"""What a run process reads when it starts (`proctor execute flow-run ID`): one call, one
read transaction, so the run, its flow version and its task runs are one consistent
snapshot.

The task runs are not paged: a re-queued or restarted `map 10000` run needs all 10,002 of
them to know which results to reuse, and a page-by-page walk would cost round trips and
could see the run change half way.
"""

from __future__ import annotations

import uuid
from typing import cast

import sqlalchemy as sa

from proctor.server.database import Database
from proctor.server.database.models import Flow, FlowGroup, Project, TaskRun
from proctor.server.services.plumbing import records, rows
from proctor.server.services.plumbing.lookups import find_flow_run
from proctor.server.services.plumbing.validation import as_uuid

_TR = cast(sa.Table, TaskRun.__table__)


async def get_flow_run_context(
    db: Database, tenant_id: uuid.UUID | str, flow_run_id: uuid.UUID | str
) -> records.FlowRunContext:
    """The run, its flow version (full spec, storage) and every task run of it."""
    tenant = as_uuid(tenant_id, "tenant_id")
    run_id = as_uuid(flow_run_id, "flow_run_id")
    async with db.session() as session:
        run, flow_name = await find_flow_run(session, tenant, run_id)
        found = (
            await session.execute(
                sa.select(Flow, FlowGroup, Project.name)
                .join(FlowGroup, FlowGroup.id == Flow.flow_group_id)
                .join(Project, Project.id == Flow.project_id)
                .where(Flow.id == run.flow_id)
            )
        ).one()
        flow, group, project_name = found
        found_runs = await session.execute(
            sa.select(
                _TR.c.id,
                _TR.c.task_slug,
                _TR.c.map_index,
                _TR.c.state,
                _TR.c.state_type,
                _TR.c.state_message,
                _TR.c.state_timestamp,
                _TR.c.version,
                _TR.c.run_count,
                _TR.c.result_location,
            )
            .where(_TR.c.flow_run_id == run_id)
            .order_by(_TR.c.task_slug, _TR.c.map_index)
        )
        return records.FlowRunContext(
            flow_run=rows.flow_run(run, flow_name),
            flow=rows.flow_version(flow, group, project_name, with_spec=True),
            task_runs=[records.TaskRunSummary(*tuple(row)) for row in found_runs],
        )


__all__ = ["get_flow_run_context"]
