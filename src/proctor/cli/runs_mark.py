"""`proctor runs mark|restart|compare`: steering runs by hand.

    proctor runs mark RUN_ID Failed --reason "loaded half the rows"
    proctor runs mark RUN_ID Success --task 'enrich[3]' --reason "fixed by hand"
    proctor runs restart RUN_ID --from clean          (clean and what follows it)
    proctor runs compare RUN_A RUN_B [--all] [--json]

The commands talk GraphQL directly (`markFlowRun`, `markTaskRun`, `restartFlowRunFrom`,
`compareFlowRuns`); mutations are sent once, never retried, so a lost answer is not
applied twice.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_json,
    print_table,
    styled_state,
)

if TYPE_CHECKING:
    from proctor.client import Client

MANUAL_STATES = ("Success", "Failed", "Cancelled", "Skipped")

RUN_FIELDS = "id name state stateMessage"
MARK_FLOW_RUN = f"""mutation ($id: ID!, $state: String!, $reason: String!) {{
  markFlowRun(id: $id, state: $state, reason: $reason) {{ {RUN_FIELDS} }}
}}"""
MARK_TASK_RUN = """mutation ($id: ID!, $state: String!, $reason: String!) {
  markTaskRun(id: $id, state: $state, reason: $reason) {
    id taskSlug mapIndex state stateMessage } }"""
FIND_TASK_RUN = """query ($id: ID!, $slug: String!, $index: Int!) { flowRun(id: $id) {
  taskRuns(taskSlug: $slug, mapIndex: $index, first: 1) { nodes { id } } } }"""
RESTART = f"""mutation ($id: ID!) {{ restartFlowRun(id: $id) {{ {RUN_FIELDS} }} }}"""
RESTART_FROM = f"""mutation ($id: ID!, $from: [String!]!) {{
  restartFlowRunFrom(id: $id, fromTasks: $from) {{ {RUN_FIELDS} }}
}}"""
PREVIEW = """query ($id: ID!, $from: [String!]) { flowRun(id: $id) {
  restartPreview(fromTasks: $from) { restartable state rerunCount reusedCount
    rerun { taskSlug reason count } } } }"""
COMPARE = """query ($a: ID!, $b: ID!) { compareFlowRuns(a: $a, b: $b) {
  a { id name state parameters startTime endTime }
  b { id name state parameters startTime endTime }
  sameFlow sameVersion differingTasks
  parameters { name a b inA inB differs }
  tasks { taskSlug mapped differences
    a { state durationSeconds resultLocation childCount children { state count } }
    b { state durationSeconds resultLocation childCount children { state count } } } } }"""


def _mutate(client: Client, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    from proctor.client import Operation

    data: dict[str, Any] = client.execute(Operation(document, variables, idempotent=False))
    return data


def _task_run_id(client: Client, flow_run_id: str, task: str) -> str:
    from proctor.cli.output import UserError, fail
    from proctor.cli.task_runs_view import parse_task_ref

    try:
        slug, index = parse_task_ref(task)
    except UserError as error:
        fail(str(error))
    variables = {"id": flow_run_id, "slug": slug, "index": -1 if index is None else index}
    run = client.query(FIND_TASK_RUN, variables).get("flowRun")
    nodes = run["taskRuns"]["nodes"] if isinstance(run, dict) else []
    if not nodes:
        fail(f"flow run {flow_run_id} has no task run {task}")
    return str(nodes[0]["id"])


def mark_run(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    state: Annotated[
        str, typer.Argument(metavar="STATE", help="Success, Failed, Cancelled or Skipped.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", "-r", help="Why (kept in the state's message).")
    ],
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            metavar="SLUG[INDEX]",
            help="Mark this task run instead: enrich, or a mapped child: 'enrich[3]'.",
        ),
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Set a run's (or one task run's) state by hand, with a reason.

    Cancelled on a running run asks its process to stop; Success, Failed or Skipped end
    it at once (its process stops). A task run can be marked only while no process runs
    its flow run; restart the run to run a task run marked Failed again.
    """
    from proctor.cli.output import fail

    wanted = next((s for s in MANUAL_STATES if s.lower() == state.strip().lower()), None)
    if wanted is None:
        fail(f"cannot mark a run {state!r}: use {', '.join(MANUAL_STATES)}")
    with api_call(), make_client(api_url) as client:
        if task is None:
            data = _mutate(
                client, MARK_FLOW_RUN, {"id": flow_run_id, "state": wanted, "reason": reason}
            )
            marked = data["markFlowRun"]
            what = f"Flow run {marked['name']} ({marked['id']})"
        else:
            task_run_id = _task_run_id(client, flow_run_id, task)
            data = _mutate(
                client, MARK_TASK_RUN, {"id": task_run_id, "state": wanted, "reason": reason}
            )
            marked = data["markTaskRun"]
            what = f"Task run {task} of flow run {flow_run_id}"
    if json_output:
        print_json(marked)
        return
    typer.echo(f"{what} is {marked['state']}: {marked['stateMessage']}")
    if marked["state"] == "Cancelling":
        typer.echo("Its process stops its tasks and marks it Cancelled.")


def restart_run(
    flow_run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="The flow run's id.")],
    from_tasks: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            metavar="SLUG",
            help="Restart from this task (repeatable): it and everything downstream of it "
            "run again, even if they succeeded.",
        ),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Only say what would run again.")
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Run a finished run again, or from chosen tasks (--from).

    Task runs that did not succeed, and what depends on them, run again; with --from
    also the chosen tasks and everything after them. The others are reused from their
    persisted results. --preview says which before anything changes.
    """
    chosen = list(from_tasks or [])
    with api_call(), make_client(api_url) as client:
        if preview:
            found = client.query(PREVIEW, {"id": flow_run_id, "from": chosen or None})
            _print_preview(found["flowRun"]["restartPreview"], json_output)
            return
        if chosen:
            data = _mutate(client, RESTART_FROM, {"id": flow_run_id, "from": chosen})
            run = data["restartFlowRunFrom"]
        else:
            run = _mutate(client, RESTART, {"id": flow_run_id})["restartFlowRun"]
    if json_output:
        print_json(run)
        return
    typer.echo(
        f"Flow run {run['name']} ({run['id']}) is {run['state']} again; an agent will pick "
        f"it up. Follow it with: proctor runs show {run['id']}"
    )


def _print_preview(preview: dict[str, Any], json_output: bool) -> None:
    if json_output:
        print_json(preview)
        return
    if not preview["restartable"]:
        typer.echo(f"The run is {preview['state']}: only a finished run can be restarted.")
    print_table(
        "runs again",
        ["TASK", "WHY", "TASK RUNS"],
        [(g["taskSlug"], g["reason"], g["count"]) for g in preview["rerun"]],
    )
    typer.echo(f"{preview['rerunCount']} task runs run again, {preview['reusedCount']} reused.")


def _value(value: Any, present: bool) -> str:
    return json.dumps(value) if present else "-"


def _side(side: dict[str, Any] | None) -> str:
    if side is None:
        return "-"
    if side["childCount"]:
        return ", ".join(f"{c['count']} {c['state']}" for c in side["children"])
    return str(side["state"] or "-")


def _duration(side: dict[str, Any] | None) -> str:
    seconds = None if side is None else side["durationSeconds"]
    return "-" if seconds is None else f"{seconds:.1f}s"


def compare_runs(
    run_a: Annotated[str, typer.Argument(metavar="RUN_A", help="One flow run's id.")],
    run_b: Annotated[str, typer.Argument(metavar="RUN_B", help="The other flow run's id.")],
    show_all: Annotated[
        bool, typer.Option("--all", help="Every task, not only those that differ.")
    ] = False,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Compare two runs side by side.

    Parameters, and per task the state, duration and result in each run (mapped tasks
    as counts per state); what differs is marked with `*`.
    """
    with api_call(), make_client(api_url) as client:
        found = client.query(COMPARE, {"a": run_a, "b": run_b})["compareFlowRuns"]
    if json_output:
        print_json(found)
        return
    a, b = found["a"], found["b"]
    typer.echo(f"A: {a['name']} ({a['id']}) {a['state']}")
    typer.echo(f"B: {b['name']} ({b['id']}) {b['state']}")
    if not found["sameFlow"]:
        typer.echo("These are runs of different flows.")
    elif not found["sameVersion"]:
        typer.echo("These runs ran different versions of the flow.")
    print_table(
        "parameters",
        ["", "NAME", "A", "B"],
        [
            (
                "*" if p["differs"] else "",
                p["name"],
                _value(p["a"], p["inA"]),
                _value(p["b"], p["inB"]),
            )
            for p in found["parameters"]
        ],
    )
    shown = [t for t in found["tasks"] if show_all or t["differences"]]
    print_table(
        "tasks",
        ["", "TASK", "A", "B", "A TIME", "B TIME", "DIFFERS"],
        [
            (
                "*" if t["differences"] else "",
                t["taskSlug"],
                styled_state(_side(t["a"])) if not t["mapped"] else _side(t["a"]),
                styled_state(_side(t["b"])) if not t["mapped"] else _side(t["b"]),
                _duration(t["a"]),
                _duration(t["b"]),
                ", ".join(t["differences"]),
            )
            for t in shown
        ],
    )
    hidden = len(found["tasks"]) - len(shown)
    typer.echo(
        f"{found['differingTasks']} of {len(found['tasks'])} tasks differ"
        + (f" ({hidden} the same, not shown: --all shows them)" if hidden else "")
    )


def register(app: typer.Typer) -> None:
    """Add `mark`, `restart` and `compare` to `proctor runs`."""
    app.command("mark")(mark_run)
    app.command("restart")(restart_run)
    app.command("compare")(compare_runs)


__all__ = ["compare_runs", "mark_run", "register", "restart_run"]
