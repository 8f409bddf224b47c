"""Write tests/server/data/proctor-<revision>.db: a small database at `revision`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from proctor import Flow, task
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.services.flow_run_states import set_flow_run_states
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.logs import write_logs
from proctor.server.services.plumbing.inputs import FlowRunStateChange, LogIn, TaskRunStateChange
from proctor.server.services.projects import create_project
from proctor.server.services.task_runs import set_task_run_states


@task
def inc(x: int) -> int:
    return x + 1


async def main(revision: str) -> None:
    path = Path(__file__).with_name(f"proctor-{revision}.db")
    path.unlink(missing_ok=True)
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade(revision)
    with Flow("etl") as flow:
        inc.map([1, 2, 3])
    tenant = DEFAULT_TENANT_ID
    await create_project(db, tenant, "old-project")
    registered = await register_flow(db, tenant, "old-project", dict(flow.serialize()))
    run = await create_flow_run(db, tenant, flow_id=registered.flow.id)
    await set_flow_run_states(db, tenant, [FlowRunStateChange(run.id, {"type": "Running"})])
    changes = [
        TaskRunStateChange(run.id, "inc", {"type": "Success"}, map_index=i) for i in range(3)
    ]
    changes.append(TaskRunStateChange(run.id, "inc", {"type": "Mapped"}))
    await set_task_run_states(db, tenant, changes)
    await write_logs(db, tenant, [LogIn(run.id, f"written by revision {revision}")])
    await set_flow_run_states(db, tenant, [FlowRunStateChange(run.id, {"type": "Success"})])
    await db.dispose()
    print(f"wrote {path}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "0001"))
