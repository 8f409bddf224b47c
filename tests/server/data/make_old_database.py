"""Write tests/server/data/proctor-<revision>.db: a small database at `revision`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from proctor import Flow, task
from proctor.server import services
from proctor.server.database import DEFAULT_TENANT_ID, Database


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
    await services.create_project(db, tenant, "old-project")
    registered = await services.register_flow(db, tenant, "old-project", dict(flow.serialize()))
    run = await services.create_flow_run(db, tenant, flow_id=registered.flow.id)
    await services.set_flow_run_states(
        db, tenant, [services.FlowRunStateChange(run.id, {"type": "Running"})]
    )
    changes = [
        services.TaskRunStateChange(run.id, "inc", {"type": "Success"}, map_index=i)
        for i in range(3)
    ]
    changes.append(services.TaskRunStateChange(run.id, "inc", {"type": "Mapped"}))
    await services.set_task_run_states(db, tenant, changes)
    await services.write_logs(
        db, tenant, [services.LogIn(run.id, f"written by revision {revision}")]
    )
    await services.set_flow_run_states(
        db, tenant, [services.FlowRunStateChange(run.id, {"type": "Success"})]
    )
    await db.dispose()
    print(f"wrote {path}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "0001"))
