"""The README's quick start, run as it is written (parsed from README.md, so the test
breaks when the README drifts): its Python block, and its shell block against a real
server that the CLI finds by itself.

The server stands in for `make run` (which runs `proctor server start`) on a free port,
with no `PROCTOR_API_URL` anywhere: the CLI, the agent and its run processes must follow
the server through `PROCTOR_HOME/server.json`, as the README says they do.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from proctor.client import Client
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def blocks(language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(section("Quick start")) if lang == language]


def clean_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env["PROCTOR_HOME"] = str(home)
    # The README's `source .venv/bin/activate` must be what puts `proctor` on PATH.
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != bin_dir)
    return env


def shell_params(line: str) -> dict[str, Any]:
    """`--param k=v` pairs of a command line, values read as JSON (as the CLI reads them)."""
    found = {}
    for pair in re.findall(r"--param (\S+)", line):
        name, _, value = pair.partition("=")
        found[name] = json.loads(value)
    return found


def python_run_kwargs(code: str) -> dict[str, Any]:
    """The keyword arguments of the block's `etl.run(...)` call."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "run":
            return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
    raise AssertionError("the quick start's Python block runs no flow")


def test_the_python_block_runs_and_says_what_it_returns(tmp_path: Path):
    [code] = blocks("python")
    # Lines like `state.is_successful()   # True` state a value: check each one.
    claims = re.findall(r"^(\S[^#\n]*?)\s+#\s+(True|False|-?\d+)\b", code, re.M)
    assert claims, "the Python block claims no value"
    script = (
        code
        + "\n"
        + "\n".join(
            f"assert ({expression}) == {value}, {expression!r}" for expression, value in claims
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_python_and_shell_lines_agree_with_each_other_and_the_example():
    [code] = blocks("python")
    [shell] = blocks("bash")
    namespace: dict[str, Any] = {"__name__": "readme_quickstart"}
    exec(compile(code.split("\nstate = ")[0], "README.md", "exec"), namespace)
    spec = importlib.util.spec_from_file_location("example_etl", ROOT / "examples" / "etl.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    # The README's flow is examples/etl.py's: the same parameters and types.
    assert (
        namespace["etl"].serialize()["parameter_schema"]
        == example.etl.serialize()["parameter_schema"]
    )
    runs = [line for line in shell.splitlines() if "--param" in line]
    assert len(runs) == 2  # run-local, and run on the server
    expected = python_run_kwargs(code)
    assert [shell_params(line) for line in runs] == [expected, expected]


def test_the_shell_block_runs_against_a_real_server_the_cli_finds_itself(tmp_path: Path):
    [shell] = blocks("bash")
    assert "proctor server start" not in shell  # `make run` is the server (README)
    home = tmp_path / "home"
    server = ServerProcess(f"sqlite+aiosqlite:///{home / 'proctor.db'}", home)
    server.start(timeout=60)
    # A file, not a pipe: the agent started with `&` keeps its end open after bash exits.
    log = tmp_path / "quickstart.log"
    with log.open("w") as sink:
        script = subprocess.Popen(
            ["bash", "-e", "-c", shell],
            cwd=ROOT,
            env=clean_env(home),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the agent it starts with `&` is in this group
        )
    try:
        script.wait(timeout=240)
        output = log.read_text()
        with Client(server.url) as client:  # what the quick start left on the server
            runs = client.list_flow_runs().items
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(script.pid, signal.SIGTERM)  # the background agent
        server.stop()
    assert script.returncode == 0, output
    assert "Connection refused" not in output and "Traceback" not in output, output
    [run] = runs
    assert (run.flow_name, run.state) == ("etl", "Success"), run
    assert run.parameters == python_run_kwargs(blocks("python")[0])
