"""`proctor.context` as 1.x flows read it (expected values checked under Prefect 1.4.1)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

import proctor
from proctor import Flow, Parameter, Task, task
from proctor.executors import ProcessExecutor, ThreadExecutor

# Read at import time, as 1.x modules do: it must be a usable logger.
MODULE_LOGGER = proctor.context.get("logger")

KEYS = [
    "flow_name",
    "flow_run_id",
    "task_name",
    "task_full_name",
    "map_index",
    "task_run_count",
    "parameters",
    "today",
    "yesterday",
    "tomorrow",
    "date",
    "scheduled_start_time",
    "caller_key",
]


@task
def snapshot(x):
    context = proctor.context
    return {key: context.get(key, "<missing>") for key in KEYS}


def test_run_values_inside_a_task():
    with Flow("ctx") as flow:
        node = snapshot(Parameter("p", default=3))
    values = flow.run(flow_run_id="run-42").result[node].result
    assert values["flow_name"] == "ctx"
    assert values["flow_run_id"] == "run-42"
    assert values["task_name"] == "snapshot"
    assert values["task_full_name"] == "snapshot"
    assert values["map_index"] is None
    assert values["task_run_count"] == 1
    assert values["parameters"] == {"p": 3}
    assert values["caller_key"] == "<missing>"
    date = values["date"]
    assert isinstance(date, datetime) and date.tzinfo is not None
    # 1.x: strings YYYY-MM-DD around the run's date.
    assert values["today"] == date.strftime("%Y-%m-%d")
    assert values["yesterday"] == (date - timedelta(days=1)).strftime("%Y-%m-%d")
    assert values["tomorrow"] == (date + timedelta(days=1)).strftime("%Y-%m-%d")
    assert isinstance(values["scheduled_start_time"], datetime)


def test_mapped_children_see_their_index():
    @task
    def where(x):
        return (proctor.context.map_index, proctor.context["task_full_name"], x)

    with Flow("mapped-ctx") as flow:
        node = where.map([10, 20])
    assert flow.run().result[node].result == [(0, "where[0]", 10), (1, "where[1]", 20)]


@pytest.mark.parametrize(
    "executor", [None, ThreadExecutor(max_workers=2), ProcessExecutor(max_workers=1)]
)
def test_values_set_around_the_run_reach_the_tasks(executor):
    with Flow("around") as flow:
        node = snapshot(1)
    # 1.x: a caller's `today` wins (a backfill), but the run decides its own flow_name.
    with proctor.context(caller_key=[1, 2], today="2000-01-01", flow_name="not-this"):
        state = flow.run(executor=executor)
        assert proctor.context.get("caller_key") == [1, 2]
    values = state.result[node].result
    assert values["caller_key"] == [1, 2]
    assert values["today"] == "2000-01-01"
    assert values["flow_name"] == "around"
    assert proctor.context.get("caller_key") is None  # the block restored the old values


def test_item_attribute_and_dict_access():
    @task
    def read():
        context = proctor.context
        with context(inner=1):
            inner = (context.inner, context["inner"], "inner" in context)
        try:
            context.nope  # noqa: B018 - reading it is the test
        except AttributeError as exc:
            missing = str(exc)
        return {
            "inner": inner,
            "after": context.get("inner"),
            "missing": missing,
            "same": context.task_name == context["task_name"] == context.to_dict()["task_name"],
            "keys": set(context.to_dict()),
        }

    with Flow("access") as flow:
        node = read()
    values = flow.run().result[node].result
    assert values["inner"] == (1, 1, True)
    assert values["after"] is None
    assert "'Context' object has no attribute 'nope'" in values["missing"]
    assert values["same"] is True
    # The keys 1.4.1 shows in `to_dict()` inside a plain task run (config/caches aside).
    assert {
        "date",
        "flow_id",
        "flow_name",
        "flow_run_id",
        "flow_run_name",
        "logger",
        "map_index",
        "parameters",
        "scheduled_start_time",
        "task_full_name",
        "task_id",
        "task_name",
        "task_run_count",
        "task_slug",
        "task_tags",
        "today",
        "today_nodash",
        "tomorrow",
        "tomorrow_nodash",
        "yesterday",
        "yesterday_nodash",
    } <= values["keys"]
    assert "task_loop_count" not in values["keys"]  # only once a task looped


def test_outside_a_run():
    with pytest.raises(KeyError):
        proctor.context["flow_name"]
    assert proctor.context.get("flow_name") is None
    assert set(proctor.context.to_dict()) == {"logger"}
    proctor.context.update(answer=42)
    try:
        assert proctor.context.answer == 42 and proctor.context["answer"] == 42
    finally:
        del proctor.context["answer"]
    assert "answer" not in proctor.context


def test_loggers_from_the_context_and_tasks_name_the_task_run(caplog):
    class Shout(Task):
        def run(self, word):
            self.logger.info("task logger says %s", word)
            proctor.context.logger.info("context logger says %s", word)
            MODULE_LOGGER.info("module logger says %s", word)
            return word

    assert isinstance(MODULE_LOGGER, logging.Logger)
    shout = Shout(name="shout")
    assert isinstance(shout.logger, logging.Logger)
    with Flow("logs") as flow:
        shout("hi")
    with caplog.at_level(logging.INFO, logger="proctor"):
        assert flow.run().is_successful()
    lines = {
        record.getMessage(): getattr(record, "task_slug", None)
        for record in caplog.records
        if "says" in record.getMessage()
    }
    assert lines == {
        "task logger says hi": "shout",
        "context logger says hi": "shout",
        "module logger says hi": "shout",
    }
