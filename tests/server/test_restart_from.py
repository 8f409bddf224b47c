"""Restart from chosen tasks, planned alone (no database): the chosen tasks and
everything downstream of them reset, whatever their state, on top of what a plain
restart resets; the preview names why each runs again."""

from __future__ import annotations

import pytest

from proctor.server.errors import InvalidInput
from proctor.server.services.restart_preview import TaskRunLine, preview_restart
from proctor.server.services.restarts import check_task_slugs, plan_restart

EDGES = [
    {"upstream": "extract", "downstream": "clean"},
    {"upstream": "clean", "downstream": "load"},
    {"upstream": "extract", "downstream": "audit"},
    {"upstream": "m", "downstream": "reduce"},
]
ALL_GOOD = [
    ("extract", -1, "Success"),
    ("clean", -1, "Success"),
    ("load", -1, "Success"),
    ("audit", -1, "Success"),
    ("m", -1, "Success"),
    ("m", 0, "Success"),
    ("m", 1, "Success"),
    ("reduce", -1, "Success"),
]


def test_a_chosen_task_and_its_descendants_reset_siblings_and_ancestors_do_not():
    assert plan_restart(ALL_GOOD, EDGES, ["clean"]) == {("clean", -1), ("load", -1)}
    assert plan_restart(ALL_GOOD, EDGES, ["extract"]) == {
        ("extract", -1), ("clean", -1), ("load", -1), ("audit", -1)
    }  # fmt: skip


def test_choosing_a_mapped_task_resets_every_child_and_the_parent():
    assert plan_restart(ALL_GOOD, EDGES, ["m"]) == {("m", -1), ("m", 0), ("m", 1), ("reduce", -1)}


def test_what_did_not_succeed_elsewhere_still_runs_again():
    runs = [*ALL_GOOD[:3], ("audit", -1, "Failed")]
    assert plan_restart(runs, EDGES, ["load"]) == {("load", -1), ("audit", -1)}


def test_nothing_chosen_is_a_plain_restart():
    assert plan_restart(ALL_GOOD, EDGES, []) == set()


def test_the_preview_says_chosen_downstream_and_not_persisted():
    lines = [
        TaskRunLine("extract", -1, "Success", "Success", "file:///e"),
        TaskRunLine("clean", -1, "Success", "Success", None),  # not persisted
        TaskRunLine("load", -1, "Success", "Success", "file:///l"),
        TaskRunLine("audit", -1, "Success", "Success", "file:///a"),
    ]
    groups, rerun, reused = preview_restart(lines, EDGES, ["load"])
    assert [(g.task_slug, g.reason) for g in groups] == [
        ("clean", "not_persisted"),
        ("load", "chosen"),
    ]
    assert (rerun, reused) == (2, 2)
    groups, _, _ = preview_restart(lines, EDGES, ["extract"])
    assert {(g.task_slug, g.reason) for g in groups} == {
        ("extract", "chosen"), ("clean", "downstream"), ("load", "downstream"),
        ("audit", "downstream"),
    }  # fmt: skip


def test_unknown_task_slugs_are_named_with_the_tasks_there_are():
    spec = {"tasks": [{"slug": "extract"}, {"slug": "load"}]}
    assert check_task_slugs(["load", "extract", "load"], spec) == ["extract", "load"]
    with pytest.raises(InvalidInput) as raised:
        check_task_slugs(["lode"], spec)
    assert str(raised.value) == "No task lode in this flow version; its tasks: extract, load"
