"""Mapped dependencies that carry no value: `task.map(upstream_tasks=[t])` with nothing
else to map over, one child per element of `t`, each after `t`'s child of the same index."""

from __future__ import annotations

import pytest

from proctor import Flow, signals, task, unmapped
from proctor.core.errors import FlowDefinitionError
from proctor.executors import LocalExecutor, ThreadExecutor
from proctor.states import Failed, Mapped, Skipped, Success, TriggerFailed


@task
def numbers():
    return [1, 2, 3, 4]


@task
def check(x):
    if x == 2:
        raise ValueError("two")
    if x == 4:
        raise signals.SKIP("four")
    return x


@task
def ping():
    return "ping"


@pytest.fixture(
    params=[LocalExecutor, lambda: ThreadExecutor(max_workers=3)], ids=["local", "thread"]
)
def executor(request):
    return request.param()


def test_children_follow_the_mapped_upstream_child_by_child(executor):
    with Flow("follow") as flow:
        checked = check.map(numbers())
        after = ping.map(upstream_tasks=[checked])
    state = flow.run(executor=executor)
    after_state = state.result[after]
    assert isinstance(after_state, Mapped)
    assert [type(child) for child in after_state.map_states] == [
        Success,
        TriggerFailed,
        Success,
        Skipped,
    ]
    assert after_state.result[0] == "ping" and after_state.result[2] == "ping"


def test_an_unmapped_upstream_list_gives_the_count_and_unmapped_ones_only_order(executor):
    ran = []

    @task
    def setup():
        ran.append("setup")

    @task
    def each():
        ran.append("each")
        return len(ran)

    with Flow("count") as flow:
        items = numbers()
        children = each.map(upstream_tasks=[items, unmapped(setup)])
    state = flow.run(executor=executor)
    assert len(state.result[children].map_states) == 4
    assert ran[0] == "setup" and ran.count("each") == 4


def test_a_failed_upstream_fails_the_whole_map_and_a_non_list_is_a_clear_failure():
    @task
    def broken():
        raise RuntimeError("no list")

    @task
    def single():
        return 5

    with Flow("bad") as flow:
        after_broken = ping.map(upstream_tasks=[broken()])
        after_single = ping.map(upstream_tasks=[single()])
    state = flow.run()
    assert isinstance(state.result[after_broken], TriggerFailed)
    assert isinstance(state.result[after_single], Failed)
    assert "not a list" in state.result[after_single].message


def test_mapping_over_nothing_at_all_is_still_an_error():
    with Flow("nothing"), pytest.raises(FlowDefinitionError, match="at least one argument"):
        ping.map(upstream_tasks=[unmapped(numbers())])


def test_with_data_to_map_over_upstream_tasks_only_order_the_whole_map():
    # Proctor's own meaning, unchanged: the data argument decides the children.
    with Flow("data") as flow:
        first = numbers()
        doubled = task(lambda x: 2 * x, name="double").map([1, 2], upstream_tasks=[first])
    state = flow.run()
    assert state.result[doubled].result == [2, 4]
    assert [edge.mapped for edge in flow.upstream_edges(doubled) if edge.key is None] == [False]


def test_housekeeping_tasks_do_not_decide_the_flow_state():
    from proctor import Task

    class Tidy(Task):
        decides_flow_state = False
        tidies_up = True

        def run(self, value=None):
            raise RuntimeError("could not tidy")

    @task
    def work():
        return 1

    with Flow("tidy") as flow:
        done = work()
        tidy = Tidy()(done)
    assert list(flow.reference_tasks()) == [done]
    state = flow.run()
    assert state.is_successful() and state.result[tidy].is_failed()


def test_mapped_marks_the_arguments_a_plain_call_maps_over():
    from proctor.core.graph import mapped

    @task
    def scale(x, factor):
        return x * factor

    with Flow("mapped-argument") as flow:
        scaled = scale(mapped([1, 2, 3]), [10])  # the list is passed whole
    assert flow.run().result[scaled].result == [[10], [10, 10], [10, 10, 10]]


def test_a_local_run_asks_to_resume_paused_tasks_on_standard_input(monkeypatch, capsys):
    import io

    from proctor.states import Paused
    from proctor.triggers import manual_only

    approve = task(lambda x: x * 2, name="approve", trigger=manual_only)
    with Flow("approval") as flow:
        approved = approve(3)
        after = ping(upstream_tasks=[approved])
    monkeypatch.setattr("sys.stdin", io.StringIO("no\ny\n"))
    state = flow.run()
    assert state.is_successful()
    assert state.result[approved].result == 6 and state.result[after].result == "ping"
    asked = capsys.readouterr().out
    assert asked.count("<Task: approve> is currently Paused; enter 'y' to resume:") == 2
    # Nobody to ask (standard input at its end): the run comes back Paused.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    paused = flow.run()
    assert isinstance(paused, Paused) and isinstance(paused.result[approved], Paused)


def test_nobody_to_ask_on_a_pipe_or_with_observers_returns_the_paused_state(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "paused.py"
    script.write_text(
        "from proctor import Flow, task\n"
        "from proctor.triggers import manual_only\n"
        "@task(trigger=manual_only)\n"
        "def approve():\n"
        "    return 1\n"
        "with Flow('pipe') as flow:\n"
        "    approve()\n"
        "print(type(flow.run()).__name__)\n"
    )
    # An open pipe that never gets an answer: a 1.x run would block reading it.
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert out.strip() == "Paused", err
    assert "currently Paused" not in out

    from proctor.core.observers import RunObserver
    from proctor.states import Paused
    from proctor.triggers import manual_only

    with Flow("observed") as flow:
        task(lambda: 1, name="approve", trigger=manual_only)()
    assert isinstance(flow.run(observers=[RunObserver()]), Paused)
