"""`proctor migrate`: the import rewrite of 1.x files, as users and CI scripts meet it.

The rewrite itself is checked on source text (every expected text written out by hand); the
command is run in a fresh interpreter, the way a shell or a CI job runs it, for its exit
codes, its output and what it leaves on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from proctor.compat.migrate import migrate_source

ONE_X = """\
# An ETL flow, 1.x style.
import prefect  # the module itself
import prefect.engine.signals
import prefect.utilities.tasks as task_utils
from prefect import Flow, Parameter, task   # the usual names
from prefect.tasks.shell import (
    ShellTask,  # runs a command
)
from . import prefect_helpers
import prefectlike


def helper(prefect):
    # a parameter called prefect is not the module
    return prefect + 1


@task
def extract(n):
    logger = prefect.context.get("logger")
    if n < 0:
        raise prefect.engine.signals.SKIP("negative")
    return list(range(n))   # "prefect" in a string stays


with Flow("etl") as flow:
    n = Parameter("n", default=3)
    extract(n)
"""

MIGRATED = """\
# An ETL flow, 1.x style.
import proctor  # the module itself
import proctor.engine.signals
import proctor.utilities.tasks as task_utils
from proctor import Flow, Parameter, task   # the usual names
from proctor.tasks.shell import (
    ShellTask,  # runs a command
)
from . import prefect_helpers
import prefectlike


def helper(prefect):
    # a parameter called prefect is not the module
    return prefect + 1


@task
def extract(n):
    logger = proctor.context.get("logger")
    if n < 0:
        raise proctor.engine.signals.SKIP("negative")
    return list(range(n))   # "prefect" in a string stays


with Flow("etl") as flow:
    n = Parameter("n", default=3)
    extract(n)
"""

HOSTED = """\
import prefect
from prefect.backend import set_key_value
from prefect import Flow


def remember(value):
    set_key_value("last", value)
    return prefect.backend.get_key_value("last")
"""


def run_migrate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `proctor migrate ARGS...` in a fresh interpreter, as a CI job would."""
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli.main", "migrate", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=environment,
        check=False,
    )


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_imports_and_the_names_they_bind_are_renamed_comments_and_layout_kept() -> None:
    migration = migrate_source(ONE_X)
    assert migration.after == MIGRATED
    assert migration.changed_lines() == [2, 3, 4, 5, 6, 20, 22]
    assert migration.unsupported == []


def test_rewrite_is_idempotent() -> None:
    again = migrate_source(MIGRATED)
    assert not again.changed
    assert again.after == MIGRATED


def test_aliased_module_import_keeps_its_alias_and_body() -> None:
    source = "import prefect as pf\n\nlogger = pf.context.get('logger')\n"
    assert migrate_source(source).after == (
        "import proctor as pf\n\nlogger = pf.context.get('logger')\n"
    )


def test_import_inside_a_function_renames_only_that_scope() -> None:
    source = (
        "def inner():\n"
        "    import prefect\n"
        "    return prefect.context\n"
        "\n"
        "\n"
        "prefect = 'a variable, not the module'\n"
        "print(prefect)\n"
    )
    assert migrate_source(source).after == (
        "def inner():\n"
        "    import proctor\n"
        "    return proctor.context\n"
        "\n"
        "\n"
        "prefect = 'a variable, not the module'\n"
        "print(prefect)\n"
    )


def test_windows_line_endings_are_kept() -> None:
    source = "from prefect import Flow\r\nimport prefect\r\nx = prefect.context\r\n"
    assert migrate_source(source).after == (
        "from proctor import Flow\r\nimport proctor\r\nx = proctor.context\r\n"
    )


def test_uses_of_apis_proctor_does_not_offer_are_listed_by_line() -> None:
    uses = migrate_source(HOSTED, Path("hosted.py")).unsupported
    assert [(use.line, use.column, use.name) for use in uses] == [
        (2, 29, "prefect.backend.set_key_value"),
        (7, 5, "prefect.backend.set_key_value"),
        (8, 12, "prefect.backend.get_key_value"),
    ]
    assert all("key-value store is not offered" in use.instead for use in uses)
    # The same uses are still reported once the file is migrated: it is not offered there.
    migrated = migrate_source(migrate_source(HOSTED).after)
    assert [(use.line, use.name) for use in migrated.unsupported] == [
        (2, "prefect.backend.set_key_value"),
        (7, "prefect.backend.set_key_value"),
        (8, "prefect.backend.get_key_value"),
    ]


def test_the_1x_client_import_becomes_proctors_1x_client() -> None:
    source = "from prefect.client import Client\n\nClient().get_flow_run_info('x')\n"
    migrated = migrate_source(source)
    # `proctor.client.Client` is Proctor's own client: the 1.x one is `proctor.Client`.
    assert migrated.after == "from proctor import Client\n\nClient().get_flow_run_info('x')\n"
    assert migrated.unsupported == []
    assert migrate_source("from prefect.client import Client as C, Secret\n").after == (
        "from proctor.client import Client as C, Secret\n"
    )
    assert migrate_source("from prefect import Client\n").unsupported == []


def test_check_lists_what_it_would_do_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    target = tmp_path / "flows" / "etl.py"
    target.write_text(ONE_X)
    result = run_migrate("--check", "flows", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "would rewrite flows/etl.py (lines 2, 3, 4, 5, 6, 20, 22)" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text() == ONE_X


def test_rewrite_in_place_then_check_is_clean(tmp_path: Path) -> None:
    target = tmp_path / "etl.py"
    target.write_text(ONE_X)
    result = run_migrate("etl.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "rewrote etl.py" in result.stderr
    assert target.read_text() == MIGRATED
    check = run_migrate("--check", "etl.py", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "0 files to rewrite, 1 unchanged" in check.stderr


def test_check_exits_1_for_a_migrated_file_using_a_hosted_only_api(tmp_path: Path) -> None:
    (tmp_path / "hosted.py").write_text(migrate_source(HOSTED).after)
    result = run_migrate("--check", "hosted.py", cwd=tmp_path)
    assert result.returncode == 1
    assert "hosted.py:2:29: prefect.backend.set_key_value is not offered by Proctor" in (
        result.stderr
    )
    assert "0 files to rewrite, 1 unchanged; 3 uses of 1.x APIs" in result.stderr


def test_diff_prints_a_unified_diff_on_stdout(tmp_path: Path) -> None:
    (tmp_path / "one.py").write_text("import prefect\n\nprint(prefect.context)\n")
    result = run_migrate("--check", "--diff", "one.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "--- a/one.py\n"
        "+++ b/one.py\n"
        "@@ -1,3 +1,3 @@\n"
        "-import prefect\n"
        "+import proctor\n"
        " \n"
        "-print(prefect.context)\n"
        "+print(proctor.context)\n"
    )


def test_a_file_that_does_not_parse_stops_everything_before_any_write(tmp_path: Path) -> None:
    good = tmp_path / "a_good.py"
    good.write_text(ONE_X)
    (tmp_path / "b_broken.py").write_text("from prefect import Flow\ndef broken(:\n    pass\n")
    result = run_migrate(".", cwd=tmp_path)
    assert_user_error(result, "b_broken.py:2:", "not valid Python")
    assert good.read_text() == ONE_X


def test_a_path_that_does_not_exist_is_one_clear_line(tmp_path: Path) -> None:
    result = run_migrate("--check", "nowhere", cwd=tmp_path)
    assert_user_error(result, "nowhere: no such file or directory")


def test_a_directory_tree_is_walked_and_non_python_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("from prefect import task\n")
    (tmp_path / "pkg" / "sub" / "b.py").write_text("import prefect.engine.signals\n")
    (tmp_path / "pkg" / "sub" / "clean.py").write_text("import os\n")
    (tmp_path / "pkg" / "notes.txt").write_text("from prefect import task\n")
    (tmp_path / "pkg" / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / "pkg" / ".venv" / "lib" / "dep.py").write_text("import prefect\n")
    result = run_migrate("--json", "pkg", "pkg/notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(item["path"], item["changed"], item["written"]) for item in document["files"]] == [
        ("pkg/a.py", True, True),
        ("pkg/sub/b.py", True, True),
        ("pkg/sub/clean.py", False, False),
    ]
    assert document["ignored"] == ["pkg/notes.txt"]
    assert document["summary"] == {"files": 3, "rewrite": 2, "unsupported": 0}
    assert (tmp_path / "pkg" / "a.py").read_text() == "from proctor import task\n"
    assert (tmp_path / "pkg" / "sub" / "b.py").read_text() == "import proctor.engine.signals\n"
    assert (tmp_path / "pkg" / "notes.txt").read_text() == "from prefect import task\n"
    assert (tmp_path / "pkg" / ".venv" / "lib" / "dep.py").read_text() == "import prefect\n"


def test_json_check_reports_lines_and_unsupported_uses(tmp_path: Path) -> None:
    (tmp_path / "hosted.py").write_text(HOSTED)
    result = run_migrate("--check", "--json", "hosted.py", cwd=tmp_path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["exit_code"] == 1
    (record,) = document["files"]
    assert record["changed"] is True
    assert record["written"] is False
    assert record["lines"] == [1, 2, 3, 8]
    assert [(use["line"], use["name"]) for use in record["unsupported"]] == [
        (2, "prefect.backend.set_key_value"),
        (7, "prefect.backend.set_key_value"),
        (8, "prefect.backend.get_key_value"),
    ]
    assert (tmp_path / "hosted.py").read_text() == HOSTED
