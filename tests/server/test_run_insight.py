"""The pure parts of what the API says about a run: attempts cut from a history, which
agents cover a run, what a restart runs again, exception types in state messages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from proctor.server.services.agent_match import HealthyAgent, match_agents
from proctor.server.services.attempts import attempts_of
from proctor.server.services.failure_summary import split_exception
from proctor.server.services.plumbing.records import StateRecord
from proctor.server.services.restart_preview import TaskRunLine, preview_restart

T0 = datetime(2030, 1, 1, tzinfo=UTC)
FAMILY = {"Submitted": "Pending", "TriggerFailed": "Failed", "Retrying": "Scheduled"}


def history(*states: str) -> list[StateRecord]:
    return [
        StateRecord(
            uuid.uuid4(), s, FAMILY.get(s, s), None, T0 + timedelta(seconds=i), None, None, i, {}
        )
        for i, s in enumerate(states)
    ]


def test_a_restart_starts_a_new_attempt_with_its_own_times():
    rows = history(
        "Scheduled", "Submitted", "Running", "Failed",  # attempt 1: 0..3
        "Scheduled", "Submitted", "Running", "Retrying", "Running", "Success",  # 2: 4..9
    )  # fmt: skip
    one, two = attempts_of(rows)
    assert (one.number, one.state, one.first_version, one.last_version) == (1, "Failed", 0, 3)
    assert (one.start_time, one.end_time) == (T0 + timedelta(seconds=2), T0 + timedelta(seconds=3))
    assert (two.number, two.state, two.began) == (2, "Success", T0 + timedelta(seconds=4))
    # A retry inside an attempt is not a new attempt; the first Running is its start.
    assert (two.start_time, two.end_time) == (T0 + timedelta(seconds=6), T0 + timedelta(seconds=9))


def test_an_unfinished_attempt_has_no_end():
    [only] = attempts_of(history("Scheduled", "Running"))
    assert only.end_time is None and only.start_time == T0 + timedelta(seconds=1)
    assert attempts_of([]) == []


def test_agents_cover_a_run_when_they_have_every_label():
    agents = [HealthyAgent("ux-box", ("ux",)), HealthyAgent("all", ("gpu", "ux", "x"))]
    covered = match_agents(["gpu", "ux"], agents)
    assert covered.covered and covered.matching_agents == ["all"]
    assert match_agents([], [HealthyAgent("bare", ())]).covered


def test_an_uncovered_run_names_the_missing_labels_of_the_closest_agent():
    found = match_agents(["gpu", "ux"], [HealthyAgent("ux-box", ("ux",)), HealthyAgent("z", ())])
    assert not found.covered
    assert (found.closest_agent, found.missing_labels) == ("ux-box", ["gpu"])
    assert found.suggestion == "proctor agent start --label gpu --label ux"
    none = match_agents(["gpu"], [])
    assert (none.missing_labels, none.closest_agent, none.healthy_agents) == (["gpu"], None, 0)


def test_a_restart_reruns_failures_what_follows_them_and_what_was_not_persisted():
    edges = [{"upstream": "a", "downstream": "b"}, {"upstream": "b", "downstream": "c"}]
    lines = [
        TaskRunLine("a", -1, "Success", "Success", "file:///a"),
        TaskRunLine("b", -1, "Mapped", "Success", None),
        TaskRunLine("b", 0, "Success", "Success", None),  # not persisted
        TaskRunLine("b", 1, "Failed", "Failed", None),
        TaskRunLine("c", -1, "TriggerFailed", "Failed", None),
        TaskRunLine("s", -1, "Skipped", "Success", None),
    ]
    groups, rerun, reused = preview_restart(lines, edges)
    found = {(g.task_slug, g.reason): (g.count, g.map_indexes) for g in groups}
    assert found == {
        ("b", "downstream"): (1, []),  # the mapped parent sums up its children again
        ("b", "not_persisted"): (1, [0]),
        ("b", "failed"): (1, [1]),
        ("c", "downstream"): (1, []),
    }
    assert (rerun, reused) == (4, 2)


def test_exception_types_are_read_from_engine_messages_only():
    assert split_exception("ValueError: row 3") == ("ValueError", "ValueError: row 3")
    assert split_exception("pkg.errors.BadRow: x") == ("pkg.errors.BadRow", "pkg.errors.BadRow: x")
    assert split_exception("Trigger all_successful did not pass") == (
        None,
        "Trigger all_successful did not pass",
    )
    assert split_exception(None) == (None, None)
