"""The `proctor` command as users and scripts meet it: real subprocesses, exit codes, output.

Most tests start `python -m proctor.cli.main` the way a shell would (stderr is a pipe, so
the progress display is in its plain-lines mode); a few use typer's CliRunner in-process
where only the command's logic matters.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import proctor
from proctor.cli.main import app

FLOWS = Path(__file__).parent / "flows"
ANSI_CONTROL = re.compile(r"\x1b\[")


def run_cli(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `proctor ARGS...` in a fresh interpreter, as a shell script would."""
    environment = {**os.environ, "PYTHONWARNINGS": "ignore", **env}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=environment,
        check=False,
    )


def flow_file(name: str) -> str:
    return str(FLOWS / name)


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit code 2, one `Error:` line naming the fragments, no traceback, nothing on stdout."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]


# -- the app itself ----------------------------------------------------------------------


def test_version_prints_the_package_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"proctor {proctor.__version__}\n"


def test_python_dash_m_proctor_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "proctor", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"proctor {proctor.__version__}"


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "run-local" in result.stdout
    assert "--version" in result.stdout


def test_no_arguments_shows_help_instead_of_doing_something():
    result = run_cli()
    assert "run-local" in result.stdout + result.stderr
    assert "Usage" in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(get_command(app).commands))  # type: ignore[attr-defined]
def test_every_command_has_help(name: str):
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    assert name in result.stdout


def test_run_local_help_documents_its_options():
    result = run_cli("run-local", "--help", COLUMNS="200")
    assert result.returncode == 0
    for option in ("--param", "--params-file", "--executor", "--json", "--quiet", "FILE[:FLOW]"):
        assert option in result.stdout
    assert "local|thread|process|dask" in result.stdout


def test_an_unknown_command_is_a_usage_error():
    result = run_cli("no-such-command")
    assert result.returncode == 2


def test_starting_the_cli_does_not_import_the_engine_runner_or_rich_displays():
    code = (
        "import sys, proctor.cli.main\n"
        "heavy = ['proctor.core.runner.flow_runner', 'proctor.cli.progress', 'rich.live',"
        " 'rich.table', 'proctor.core.executors.process', 'distributed', 'dask', 'pydantic']\n"
        "print([name for name in heavy if name in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


# -- run-local: success and failure ------------------------------------------------------


def test_run_local_runs_a_mapped_flow_and_exits_zero():
    result = run_cli("run-local", flow_file("mapped.py"), "--param", "n=5")
    assert result.returncode == 0, result.stderr
    assert "Running flow 'squares'" in result.stderr
    assert "square mapped into 5 task runs" in result.stderr
    assert "Flow 'squares' finished Success" in result.stderr
    assert "adding 5 squares" in result.stderr  # the task's log line
    assert result.stdout == "printed by a task\n"  # tasks' prints stay on stdout


def test_a_failed_flow_run_exits_one_and_lists_the_failed_task_runs():
    result = run_cli("run-local", flow_file("failing.py"))
    assert result.returncode == 1
    err = result.stderr
    assert "Flow 'fragile' finished Failed" in err
    assert "Failed task runs" in err
    assert "invert[2]" in err
    assert "ZeroDivisionError: division by zero" in err
    assert "RuntimeError: the database is down" in err
    assert "TriggerFailed" in err  # `report` never ran because its upstream failed


def test_a_flow_that_cannot_finish_exits_one():
    result = run_cli("run-local", flow_file("pausing.py"))
    assert result.returncode == 1
    assert "deploy Paused" in result.stderr
    assert "Flow 'gated' ended Paused" in result.stderr


def test_thread_executor_runs_the_flow():
    result = run_cli("run-local", flow_file("mapped.py"), "--executor", "thread", "-p", "n=20")
    assert result.returncode == 0, result.stderr
    assert "ThreadExecutor" in result.stderr
    assert "square mapped into 20 task runs" in result.stderr


@pytest.mark.slow
def test_process_executor_runs_the_flow():
    result = run_cli("run-local", flow_file("mapped.py"), "-e", "process", "--json")
    assert result.returncode == 0, result.stderr
    tasks = {task["slug"]: task for task in json.loads(result.stdout)["tasks"]}
    assert tasks["total"]["result"] == 0 + 1 + 4 + 9


@pytest.mark.slow
def test_dask_executor_runs_the_flow():
    # dask.distributed is a dev dependency: no skip when it is missing, the test fails.
    result = run_cli("run-local", flow_file("mapped.py"), "-e", "dask", "--json", "-p", "n=3")
    assert result.returncode == 0, result.stderr
    tasks = {task["slug"]: task for task in json.loads(result.stdout)["tasks"]}
    assert tasks["total"]["result"] == 5


def test_an_unknown_executor_is_a_usage_error():
    result = run_cli("run-local", flow_file("mapped.py"), "--executor", "cloud")
    assert result.returncode == 2
    assert "cloud" in result.stderr


# -- run-local: choosing the flow and user errors ----------------------------------------


def test_several_flows_without_a_name_is_an_error_listing_them():
    result = run_cli("run-local", flow_file("two_flows.py"))
    assert_user_error(result, "first, second", ":NAME")


def test_file_colon_name_picks_one_flow():
    result = run_cli("run-local", flow_file("two_flows.py") + ":second", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["flow"] == "second"
    assert report["tasks"][0]["result"] == "hello second"


def test_an_unknown_flow_name_is_an_error_listing_the_flows():
    result = run_cli("run-local", flow_file("two_flows.py") + ":third")
    assert_user_error(result, "'third'", "first, second")


def test_a_missing_file_is_an_error():
    result = run_cli("run-local", "no/such/flows.py")
    assert_user_error(result, "no/such/flows.py")


def test_a_file_with_a_syntax_error_is_an_error_naming_the_line(tmp_path: Path):
    broken = tmp_path / "broken.py"
    broken.write_text("from proctor import flow\n\n\ndef oops(:\n    pass\n")
    result = run_cli("run-local", str(broken))
    assert_user_error(result, "broken.py", "syntax error", "line 4")


def test_a_file_that_raises_while_loading_is_an_error(tmp_path: Path):
    broken = tmp_path / "raises.py"
    broken.write_text("raise ImportError('no module named warehouse')\n")
    result = run_cli("run-local", str(broken))
    assert_user_error(result, "raises.py", "no module named warehouse")


def test_a_file_without_flows_is_an_error(tmp_path: Path):
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    result = run_cli("run-local", str(empty))
    assert_user_error(result, "defines no flow")


def test_a_missing_required_parameter_is_an_error_saying_how_to_pass_it():
    result = run_cli("run-local", flow_file("typed_params.py"))
    assert_user_error(result, "n (int)", "--param n=VALUE")


def test_a_value_of_the_wrong_type_is_an_error_naming_the_parameter():
    result = run_cli("run-local", flow_file("typed_params.py"), "--param", "n=abc")
    assert_user_error(result, "'n'", "int", "abc")


def test_an_unknown_parameter_is_an_error_naming_it_and_the_known_ones():
    result = run_cli("run-local", flow_file("typed_params.py"), "-p", "n=1", "-p", "bogus=2")
    assert_user_error(result, "bogus", "n (int)", "label (str)")


def test_a_param_without_equals_is_an_error():
    result = run_cli("run-local", flow_file("typed_params.py"), "--param", "n3")
    assert_user_error(result, "'n3'", "NAME=VALUE")


def test_user_errors_with_json_leave_stdout_empty():
    result = run_cli("run-local", flow_file("typed_params.py"), "--json")
    assert_user_error(result, "--param n=VALUE")


# -- parameters ------------------------------------------------------------------------


def run_typed(*params: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    args = [item for param in params for item in ("--param", param)]
    result = run_cli("run-local", flow_file("typed_params.py"), *args, *extra, "--json")
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_param_values_are_read_as_json_when_they_are_json():
    report = run_typed("n=3", 'tags=["a", "b"]', "loud=true", "label=hello world")
    assert report["parameters"] == {
        "n": 3,
        "label": "hello world",
        "tags": ["a", "b"],
        "loud": True,
    }
    assert report["tasks"][0]["result"] == report["parameters"]


def test_a_str_parameter_keeps_text_that_looks_like_json():
    report = run_typed("n=1", "label=42")
    assert report["parameters"]["label"] == "42"
    report = run_typed("n=1", 'label="quoted"')
    assert report["parameters"]["label"] == "quoted"


def test_a_repeated_param_takes_the_last_value():
    assert run_typed("n=1", "n=2")["parameters"]["n"] == 2


def test_params_file_values_are_used_and_param_options_override_them(tmp_path: Path):
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"n": 7, "label": "from file", "loud": True}))
    report = run_typed("label=from option", extra=("--params-file", str(params)))
    assert report["parameters"] == {
        "n": 7,
        "label": "from option",
        "tags": [],
        "loud": True,
    }


def test_a_params_file_that_is_not_json_is_an_error(tmp_path: Path):
    params = tmp_path / "params.json"
    params.write_text("{n: 3}")
    result = run_cli("run-local", flow_file("typed_params.py"), "--params-file", str(params))
    assert_user_error(result, "params.json", "not valid JSON", "line 1")


def test_a_params_file_holding_a_list_is_an_error(tmp_path: Path):
    params = tmp_path / "params.json"
    params.write_text("[3]")
    result = run_cli("run-local", flow_file("typed_params.py"), "--params-file", str(params))
    assert_user_error(result, "params.json", "object")


def test_a_missing_params_file_is_an_error(tmp_path: Path):
    result = run_cli(
        "run-local", flow_file("typed_params.py"), "--params-file", str(tmp_path / "nope.json")
    )
    assert_user_error(result, "nope.json")


# -- --json ------------------------------------------------------------------------------


def test_json_output_describes_the_run_and_every_task():
    result = run_cli("run-local", flow_file("mapped.py"), "--json", "-p", "n=4")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout is exactly one JSON document
    assert result.stdout.count("\n") == 1
    assert report["flow"] == "squares"
    assert report["state"] == "Success"
    assert report["successful"] is True
    assert report["message"] == "All reference tasks succeeded"
    assert isinstance(report["duration"], float) and report["duration"] >= 0
    assert len(report["flow_run_id"]) == 32
    assert report["parameters"] == {"n": 4}
    tasks = {task["slug"]: task for task in report["tasks"]}
    assert list(tasks) == ["numbers", "square", "total"]  # parameters are not tasks
    assert tasks["numbers"] == {
        "slug": "numbers",
        "name": "numbers",
        "state": "Success",
        "message": None,
        "result": [0, 1, 2, 3],
    }
    assert tasks["square"]["state"] == "Mapped"
    assert tasks["square"]["result"] == [0, 1, 4, 9]
    assert tasks["square"]["children"] == {
        "total": 4,
        "succeeded": 4,
        "failed": 0,
        "states": {"Success": 4},
        "failures": [],
    }
    assert tasks["total"]["result"] == 14
    # What the task printed and logged went to stderr, and no progress was drawn.
    assert "printed by a task" in result.stderr
    assert "adding 4 squares" in result.stderr
    assert "Running flow" not in result.stderr
    assert "finished Success" not in result.stderr


def test_json_output_of_a_failed_run_exits_one_and_names_the_failures():
    result = run_cli("run-local", flow_file("failing.py"), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["state"] == "Failed"
    assert report["successful"] is False
    tasks = {task["slug"]: task for task in report["tasks"]}
    assert tasks["invert"]["children"]["failed"] == 1
    assert tasks["invert"]["children"]["failures"] == [
        {"map_index": 2, "state": "Failed", "message": "ZeroDivisionError: division by zero"}
    ]
    assert tasks["broken"]["state"] == "Failed"
    assert tasks["broken"]["message"] == "RuntimeError: the database is down"
    assert tasks["broken"]["result_repr"] == "RuntimeError('the database is down')"
    assert tasks["report"]["state"] == "TriggerFailed"


def test_json_output_gives_the_repr_of_values_that_are_not_json():
    result = run_cli("run-local", flow_file("unserialisable.py"), "--json")
    assert result.returncode == 0, result.stderr
    (task,) = json.loads(result.stdout)["tasks"]
    assert task["result_repr"] == "<Token abc>"
    assert "result" not in task


# -- --quiet and output that is not a terminal -------------------------------------------


def test_quiet_prints_nothing_on_success():
    result = run_cli("run-local", flow_file("mapped.py"), "--quiet")
    assert result.returncode == 0
    assert result.stderr == ""


def test_quiet_still_reports_failures():
    result = run_cli("run-local", flow_file("failing.py"), "-q")
    assert result.returncode == 1
    assert "Running flow" not in result.stderr
    assert "Flow 'fragile' finished Failed" in result.stderr
    assert "the database is down" in result.stderr


def test_progress_in_a_pipe_is_plain_lines_without_a_line_per_mapped_child():
    result = run_cli("run-local", flow_file("mapped.py"), "-e", "thread", "-p", "n=2000")
    assert result.returncode == 0, result.stderr
    assert not ANSI_CONTROL.search(result.stderr)  # no colours, no cursor movement
    lines = result.stderr.splitlines()
    assert len(lines) < 15, result.stderr
    assert "✔ square Mapped" in result.stderr


def test_logging_can_be_turned_off():
    result = run_cli("run-local", flow_file("mapped.py"), PROCTOR_LOGGING_LEVEL="OFF")
    assert result.returncode == 0
    assert "adding 4 squares" not in result.stderr
    assert "finished Success" in result.stderr


# A process started from a background job inherits SIGINT ignored (as `nohup` and
# `cmd &` in a script leave it), and Python then installs no KeyboardInterrupt handler:
# the child takes the handler a terminal's foreground process has before the CLI starts.
HEARS_CTRL_C = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv = ['proctor', *sys.argv[1:]]; "
    "runpy.run_module('proctor.cli.main', run_name='__main__')"
)


def test_ctrl_c_stops_the_run_with_exit_code_130():
    process = subprocess.Popen(
        [sys.executable, "-c", HEARS_CTRL_C, "run-local", flow_file("sleepy.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        deadline = time.monotonic() + 60
        while "nap running" not in process.stderr.readline():
            assert time.monotonic() < deadline
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.communicate()  # closes the pipes: an unclosed one warns in a later test
    assert process.returncode == 130
    assert "Interrupted" in err
    assert "Traceback" not in err


# -- in-process, through typer's runner ------------------------------------------------


def test_cli_runner_json_keeps_task_prints_off_stdout():
    result = CliRunner().invoke(app, ["run-local", flow_file("mapped.py"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["tasks"][-1]["result"] == 14
    assert "printed by a task" in result.stderr


def test_cli_runner_user_error_exit_code():
    result = CliRunner().invoke(app, ["run-local", flow_file("two_flows.py"), "-p", "x"])
    assert result.exit_code == 2
    assert "Error:" in result.stderr
