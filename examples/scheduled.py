"""A scheduled flow: every weekday at 06:30 Berlin time, with a per-clock parameter.

The schedule travels with the flow when it is registered; the server's scheduler then
creates the runs. Locally, `flow.run()` runs it once, now.
"""

from __future__ import annotations

from datetime import UTC, datetime

from proctor import flow, get_run_logger, task
from proctor.schedules import CronClock, Schedule, is_weekday

schedule = Schedule(
    clocks=[
        CronClock("30 6 * * *", timezone="Europe/Berlin", parameter_defaults={"kind": "daily"})
    ],
    filters=[is_weekday],
)


@task
def refresh(kind: str) -> str:
    message = f"{kind} refresh at {datetime.now(UTC):%H:%M:%S} UTC"
    get_run_logger().info(message)
    return message


@flow(schedule=schedule)
def scheduled(kind: str = "manual"):
    """Refresh the warehouse on a schedule."""
    refresh(kind)


if __name__ == "__main__":
    after = datetime(2026, 3, 27, tzinfo=UTC)  # spans the spring DST change in Berlin
    for start in schedule.next(4, after=after):
        print("next run:", start.isoformat())
    assert scheduled.run().is_successful()
