"""The API contract: the committed SDL is the live schema, changes to it break nothing that
is not listed as intended, and every document Proctor's own clients send is valid against
it.

The documents are collected by importing the sending modules (the client's operation
builders, called with sample arguments; module-level document strings of the client, the
agent and the CLI; the agent's batched report mutation) and by reading the UI's documents
as GraphQL Code Generator wrote them into ui/src/gql/, so a new document is checked
without being listed.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import json
import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import graphql
import pytest
from graphql import GraphQLSchema

import proctor.agent
import proctor.cli
import proctor.client
from proctor.agent import wire
from proctor.client._wire import Operation
from proctor.server.api import build_schema
from proctor.server.api.export_schema import REGENERATE, SCHEMA_PATH, main, schema_sdl

UI_API = Path(__file__).resolve().parents[3] / "ui" / "src" / "api"

# The schemas of released versions, one SDL file each, never regenerated: agents and
# clients of those versions must keep working against today's server.
BASELINES = Path(__file__).resolve().parent / "schema_baseline"


def _intended_breaks() -> list[tuple[str, str]]:
    """Breaking changes made on purpose: (the change as the failure prints it, why it is
    acceptable), from schema_baseline/intended_breaks.toml."""
    with (BASELINES / "intended_breaks.toml").open("rb") as stream:
        entries = tomllib.load(stream).get("break", [])
    return [(entry["change"], entry["reason"]) for entry in entries]


INTENDED_BREAKS = _intended_breaks()


@pytest.fixture(scope="module")
def live_schema() -> GraphQLSchema:
    return build_schema()._schema


def committed_sdl() -> str:
    assert SCHEMA_PATH.exists(), f"{SCHEMA_PATH} is missing: run `{REGENERATE}`"
    return SCHEMA_PATH.read_text(encoding="utf-8")


def breaks(old: GraphQLSchema, new: GraphQLSchema) -> list[str]:
    return [
        f"{change.type.name}: {change.description}"
        for change in graphql.find_breaking_changes(old, new)
    ]


def unlisted_breaks(old: GraphQLSchema, new: GraphQLSchema) -> list[str]:
    intended = {change for change, _reason in INTENDED_BREAKS}
    return [change for change in breaks(old, new) if change not in intended]


# -- the SDL file -----------------------------------------------------------------------------


def test_committed_sdl_is_the_live_schema() -> None:
    committed, live = committed_sdl(), schema_sdl()
    if committed != live:
        diff = difflib.unified_diff(
            committed.splitlines(), live.splitlines(), "committed", "live", lineterm="", n=1
        )
        excerpt = "\n".join(list(diff)[:40])
        pytest.fail(
            f"{SCHEMA_PATH.name} differs from the server's schema; regenerate it with"
            f" `{REGENERATE}` and review the diff:\n{excerpt}"
        )


def test_export_check_agrees_with_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`--check` (what CI or a hook can run) passes on the committed file and writes nothing."""
    before = SCHEMA_PATH.stat().st_mtime_ns
    assert main(["--check"]) == 0
    assert SCHEMA_PATH.stat().st_mtime_ns == before
    assert main(["--stdout"]) == 0
    assert capsys.readouterr().out == committed_sdl()


def test_live_schema_breaks_nothing_the_committed_sdl_promises(live_schema: GraphQLSchema) -> None:
    breaks = unlisted_breaks(graphql.build_schema(committed_sdl()), live_schema)
    assert not breaks, (
        "breaking changes against the committed schema (clients of the previous version"
        " would fail); undo them, or list them in INTENDED_BREAKS with a reason:\n"
        + "\n".join(breaks)
    )


def baseline_files() -> list[Path]:
    return sorted(BASELINES.glob("*.graphql"))


def test_a_released_schema_is_kept_as_a_baseline() -> None:
    from proctor import __version__

    released = [path.stem for path in baseline_files()]
    assert "0.1.0" in released, released
    # A baseline is a release's schema: it names a version no newer than this one.
    current = tuple(int(part) for part in __version__.split(".")[:3])
    for version in released:
        assert tuple(int(part) for part in version.split(".")) <= current, version


@pytest.mark.parametrize("baseline", baseline_files(), ids=lambda path: path.stem)
def test_live_schema_breaks_nothing_a_released_version_relies_on(
    live_schema: GraphQLSchema, baseline: Path
) -> None:
    found = unlisted_breaks(graphql.build_schema(baseline.read_text("utf-8")), live_schema)
    assert not found, (
        f"breaking changes against the schema of release {baseline.stem} (its agents and"
        " clients would fail); undo them, or list them with a reason in"
        f" {BASELINES.name}/intended_breaks.toml:\n" + "\n".join(found)
    )


def test_intended_breaks_each_give_a_reason() -> None:
    assert all(change and reason.strip() for change, reason in INTENDED_BREAKS)


def test_intended_breaks_are_all_still_breaks(live_schema: GraphQLSchema) -> None:
    """An entry that no longer matches anything is stale: it would hide a future break."""
    found: set[str] = set(breaks(graphql.build_schema(committed_sdl()), live_schema))
    for baseline in baseline_files():
        found |= set(breaks(graphql.build_schema(baseline.read_text("utf-8")), live_schema))
    stale = [change for change, _reason in INTENDED_BREAKS if change not in found]
    assert not stale, f"intended_breaks.toml lists changes that no longer happen: {stale}"


def test_a_removed_field_or_narrowed_argument_counts_as_breaking() -> None:
    """The check above is not vacuous: the kinds of change the issue names are caught."""
    old = graphql.build_schema(committed_sdl())
    removed = committed_sdl().replace("  autoScheduled: Boolean!\n", "", 1)
    narrowed = re.sub(
        r"flowRun\(id: ID!\)", "flowRun(id: ID!, required: String!)", committed_sdl(), count=1
    )
    assert removed != committed_sdl() and narrowed != committed_sdl()
    [removal] = unlisted_breaks(old, graphql.build_schema(removed))
    assert removal.startswith("FIELD_REMOVED:") and "FlowRun.autoScheduled" in removal
    [narrowing] = unlisted_breaks(old, graphql.build_schema(narrowed))
    assert narrowing.startswith("REQUIRED_ARG_ADDED:") and "Query.flowRun" in narrowing


def test_a_listed_break_is_let_through(monkeypatch: pytest.MonkeyPatch) -> None:
    old = graphql.build_schema(committed_sdl())
    removed = graphql.build_schema(committed_sdl().replace("  autoScheduled: Boolean!\n", "", 1))
    change = "FIELD_REMOVED: Field FlowRun.autoScheduled was removed."
    assert unlisted_breaks(old, removed) == [change]
    monkeypatch.setattr(sys.modules[__name__], "INTENDED_BREAKS", [(change, "a test")])
    assert unlisted_breaks(old, removed) == []


# -- documents the Python client, agent and CLI send ----------------------------------------


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield importlib.import_module(info.name)


def _sample(parameter: inspect.Parameter) -> Any:
    """A value of the parameter's (string) annotation: documents do not depend on values."""
    if parameter.default is not inspect.Parameter.empty:
        return parameter.default
    annotation = str(parameter.annotation)
    if "None" in annotation:
        return None
    samples: list[tuple[str, Any]] = [
        ("Iterable", []),
        ("Sequence", []),
        ("list", []),
        ("dict", {}),
        ("bool", True),
        ("float", 1.0),
        ("int", 1),
        ("str", "sample"),
    ]
    for name, value in samples:
        if annotation.startswith(name):
            return value
    raise AssertionError(f"no sample value for {parameter}: extend _sample")


def _call_builder(builder: Callable[..., Any]) -> Operation[Any]:
    signature = inspect.signature(builder)
    positional = []
    keywords = {}
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[parameter.name] = _sample(parameter)
        else:
            positional.append(_sample(parameter))
    operation = builder(*positional, **keywords)
    assert isinstance(operation, Operation)
    return operation


def _is_operation_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    head = value.lstrip()
    return head.startswith("{") or re.match(r"(query|mutation|subscription)\b", head) is not None


def python_documents() -> dict[str, str]:
    """Every document the Python side sends, by where it comes from."""
    documents: dict[str, str] = {}
    for package in (proctor.client, proctor.agent, proctor.cli):
        for module in _modules(package):
            for name, value in vars(module).items():
                where = f"{module.__name__}.{name}"
                if _is_operation_text(value):
                    documents[where] = value
                elif (
                    inspect.isfunction(value)
                    and value.__module__ == module.__name__
                    and str(inspect.signature(value).return_annotation).startswith("Operation[")
                ):
                    documents[f"{where}()"] = _call_builder(value).document
    every_part = {kind: [{}] for kind in ("tasks", "slots", "logs", "artifacts", "flows")}
    documents["proctor.agent.wire.report_mutation()"] = wire.report_mutation(every_part)[0]
    return documents


def _errors(schema: GraphQLSchema, document: str) -> list[str]:
    try:
        parsed = graphql.parse(document)
    except graphql.GraphQLError as error:
        return [f"syntax: {error.message}"]
    return [error.message for error in graphql.validate(schema, parsed)]


PYTHON_DOCUMENTS = python_documents()


def test_python_documents_are_collected() -> None:
    """Guards the collection itself: the known senders are all found."""
    names = set(PYTHON_DOCUMENTS)
    for expected in (
        "proctor.client._operations.set_task_run_states()",
        "proctor.client._operations.claim_flow_runs()",
        "proctor.client.agent_lifecycle.stop_agent()",
        "proctor.client._operations.set_flow_run_states()",
        "proctor.agent.watcher.STATE_QUERY",
        "proctor.agent.wire.report_mutation()",
        "proctor.cli.auth.ME",
    ):
        assert expected in names


def test_the_agent_sends_the_clients_documents() -> None:
    """One copy of each write: the agent's combined report asks exactly what the client's
    own operations ask, field by field, and the agent keeps no documents of its own."""
    from proctor.client import _operations as ops

    every_part = {kind: [{}] for kind in ("tasks", "slots", "logs", "artifacts", "flows")}
    report = _root_fields(wire.report_mutation(every_part)[0])
    assert [field.alias.value for field in report if field.alias] == list(every_part)
    for field in report:
        [own] = _root_fields(ops.write_mutation(field.name.value))
        assert graphql.print_ast(field.selection_set) == graphql.print_ast(own.selection_set)
        assert [argument.name.value for argument in field.arguments] == [
            argument.name.value for argument in own.arguments
        ]
    own_documents = [name for name, value in vars(wire).items() if _is_operation_text(value)]
    assert own_documents == []


@pytest.mark.parametrize("where", sorted(PYTHON_DOCUMENTS))
def test_python_document_is_valid(live_schema: GraphQLSchema, where: str) -> None:
    errors = _errors(live_schema, PYTHON_DOCUMENTS[where])
    assert not errors, f"{where} sends a document the schema rejects: {errors}"


def test_a_document_asking_for_a_missing_field_is_rejected(live_schema: GraphQLSchema) -> None:
    document = PYTHON_DOCUMENTS["proctor.agent.watcher.STATE_QUERY"]
    assert not _errors(live_schema, document)
    broken = document.replace("state }", "state noSuchField }")
    assert _errors(live_schema, broken) == ["Cannot query field 'noSuchField' on type 'FlowRun'."]


# -- documents the UI sends -----------------------------------------------------------------

# The UI writes each document in a `graphql(`...`)` call (shared selections are fragments,
# no pieces pasted in), which GraphQL Code Generator reads to write the UI's types into
# ui/src/gql/ (`npm run codegen`; `npm run codegen:check`, run by `make ui-test`, fails
# when that output is stale, and codegen itself fails on a document the committed schema
# rejects). Here the generated file gives every static document, in full with its
# fragments, to validate against the live schema. A document built at run time instead is
# listed here, by its opening, with the function that builds it and sample arguments: the
# test runs the UI's own function (through the UI's build tool) and validates what it
# returns.
UI_DYNAMIC_DOCUMENTS: dict[str, tuple[str, str, list[Any]]] = {
    "query LastRuns($asOf: DateTime!) {": ("api/documents.ts", "lastRunsQuery", [["g1", "g2"], 10]),
}

UI_GENERATED = UI_API.parent / "gql" / "graphql.ts"

# An operation's generated document: `export const NameDocument = new TypedDocumentString(`...`.
_UI_GENERATED_DOCUMENT = re.compile(
    r"^export const (\w+)Document = new TypedDocumentString\(`([^`]*)`", re.MULTILINE
)
# An operation's opening in a template literal of the UI's sources, and whether it is the
# argument of a `graphql(` call (which codegen reads).
_UI_OPENING = re.compile(r"(graphql\(\s*)?`(\s*(?:query|mutation|subscription)\s*[\w({][^\n`]*)")
_UI_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+(\w+)")


def _ui_sources() -> list[Path]:
    return sorted(
        path
        for path in (UI_API.parent).rglob("*.ts*")
        if path.suffix in (".ts", ".tsx")
        and ".test." not in path.name
        and UI_GENERATED.parent not in path.parents
    )


def ui_documents() -> tuple[dict[str, str], list[str], list[str]]:
    """The UI's documents as generated (by operation name), the openings of any literal
    codegen does not read, and the names of the operations the sources write."""
    documents = dict(_UI_GENERATED_DOCUMENT.findall(UI_GENERATED.read_text()))
    missed: list[str] = []
    written: list[str] = []
    for path in _ui_sources():
        for match in _UI_OPENING.finditer(path.read_text(encoding="utf-8")):
            opening = match.group(2).strip()
            if match.group(1):
                named = _UI_OPERATION_NAME.match(opening)
                written.append(named.group(1) if named else opening)
            elif not any(opening.startswith(known) for known in UI_DYNAMIC_DOCUMENTS):
                missed.append(f"{path.name}: {opening}")
    return documents, missed, written


UI_DOCUMENTS, UI_MISSED, UI_WRITTEN = ui_documents() if UI_GENERATED.is_file() else ({}, [], [])


def test_every_ui_document_is_read_by_codegen() -> None:
    """A document written any other way than in a `graphql()` call would have no generated
    type and escape the check below; the generated file has exactly the sources' operations."""
    if not UI_API.is_dir():
        pytest.skip("no UI sources in this tree")
    assert not UI_MISSED, f"UI documents codegen does not read (use graphql(`...`)): {UI_MISSED}"
    assert "Dashboard" in UI_DOCUMENTS and "RunFeed" in UI_DOCUMENTS
    assert sorted(UI_WRITTEN) == sorted(UI_DOCUMENTS), (
        "ui/src/gql/ is stale: run `npm run codegen` in ui/"
    )


@pytest.mark.parametrize("name", sorted(UI_DOCUMENTS))
def test_ui_document_is_valid(live_schema: GraphQLSchema, name: str) -> None:
    errors = _errors(live_schema, UI_DOCUMENTS[name])
    assert not errors, f"the UI's {name} is a document the schema rejects: {errors}"


# Loads a UI module with the UI's own build tool (vite, which resolves its imports as the
# build does) and prints what one of its functions returns for the given arguments.
_RUN_UI_FUNCTION = """
import { runnerImport } from "vite";
const [file, name, args] = JSON.parse(process.argv[1]);
const { module } = await runnerImport("./" + file, { configFile: false, logLevel: "silent" });
process.stdout.write(JSON.stringify(String(module[name](...args))));
"""


def ui_function_result(file: str, name: str, args: list[Any]) -> Any:
    ui = UI_API.parents[1]
    node = shutil.which("node")
    assert node, "node is needed to run the UI's document builders (it builds the UI too)"
    assert (ui / "node_modules" / "vite").is_dir(), "run `make ui-build` first (npm ci)"
    done = subprocess.run(
        [
            node,
            "--input-type=module",
            "-e",
            _RUN_UI_FUNCTION,
            json.dumps([f"src/{file}", name, args]),
        ],
        cwd=ui,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "opening", sorted(UI_DYNAMIC_DOCUMENTS), ids=lambda opening: UI_DYNAMIC_DOCUMENTS[opening][1]
)
def test_ui_document_built_at_run_time_is_valid(live_schema: GraphQLSchema, opening: str) -> None:
    if not UI_API.is_dir():
        pytest.skip("no UI sources in this tree")
    file, name, args = UI_DYNAMIC_DOCUMENTS[opening]
    document = ui_function_result(file, name, args)
    assert isinstance(document, str) and document.startswith(opening), document
    errors = _errors(live_schema, document)
    assert not errors, f"the UI's {file} {name}() builds a document the schema rejects: {errors}"
    # One aliased field per flow group asked for: the builder really used its arguments.
    assert [field.alias.value for field in _root_fields(document)] == ["f0", "f1"]


def _root_fields(document: str) -> list[graphql.FieldNode]:
    [operation] = [
        node
        for node in graphql.parse(document).definitions
        if isinstance(node, graphql.OperationDefinitionNode)
    ]
    return [
        node for node in operation.selection_set.selections if isinstance(node, graphql.FieldNode)
    ]


def test_a_ui_builder_that_asks_for_a_missing_field_is_rejected(live_schema: GraphQLSchema) -> None:
    document = ui_function_result("api/documents.ts", "lastRunsQuery", [["g"], 1])
    assert not _errors(live_schema, document)
    broken = document.replace("endTime", "endTime noSuchField")
    assert _errors(live_schema, broken) == ["Cannot query field 'noSuchField' on type 'FlowRun'."]
