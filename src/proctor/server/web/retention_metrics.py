"""`/metrics` counters of the retention service: rows removed by kind, passes, and
SQLite pages given back. Read from the service's running totals when scraped (a custom
collector: nothing to update on the service's side)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from proctor.server.database import Database


class RetentionCollector(Collector):
    """Reports `retention_totals(db)` of the database `database()` returns (None before
    the server started)."""

    def __init__(self, database: Callable[[], Database | None]) -> None:
        self._database = database

    def _families(self) -> tuple[CounterMetricFamily, CounterMetricFamily, CounterMetricFamily]:
        return (
            CounterMetricFamily(
                "proctor_retention_removed",
                "Rows the retention service deleted, by kind (log_lines_trimmed: lines cut "
                "from runs kept, by the log size limit).",
                labels=["kind"],
            ),
            CounterMetricFamily(
                "proctor_retention_passes", "Retention passes completed by this process."
            ),
            CounterMetricFamily(
                "proctor_retention_sqlite_pages_released",
                "SQLite pages the retention service gave back to the file system.",
            ),
        )

    def describe(self) -> Iterator[Any]:
        yield from self._families()

    def collect(self) -> Iterator[Any]:
        from proctor.server.background.retention import retention_totals

        removed_family, passes_family, pages_family = self._families()
        db = self._database()
        if db is not None:
            totals = retention_totals(db)
            for kind, count in totals.removed.as_dict().items():
                removed_family.add_metric([kind], count)
            passes_family.add_metric([], totals.passes)
            pages_family.add_metric([], totals.sqlite_pages_released)
        yield removed_family
        yield passes_family
        yield pages_family


__all__ = ["RetentionCollector"]
