"""The 1.x task library on Proctor: same states and results as Prefect 1.4.1 gives.

Each expectation below was read off the same flow run under Prefect 1.4.1 (with
checkpointing on) and written here by hand.
"""

from __future__ import annotations

import pytest

from proctor import Flow, Parameter, Task, tags, task
from proctor.engine import signals
from proctor.tasks.control_flow import FilterTask
from proctor.tasks.core.collections import Dict, List, Set, Tuple
from proctor.tasks.core.constants import Constant
from proctor.tasks.core.function import FunctionTask
from proctor.tasks.secrets import EnvVarSecret, PrefectSecret
from proctor.tasks.shell import ShellTask
from proctor.tasks.templates import JinjaTemplate, StringFormatter
from proctor.utilities.tasks import defaults_from_attrs


def outcome(state, node):
    task_state = state.result[node]
    return type(task_state).__name__, task_state.result


def test_shell_task_results_and_failures():
    sh = ShellTask(name="sh")
    sh_all = ShellTask(name="sh_all", return_all=True)
    sh_fail = ShellTask(name="sh_fail")
    sh_helper = ShellTask(name="sh_helper", helper_script="X=hello")
    sh_env = ShellTask(name="sh_env", env={"FOO": "bar"})
    sh_empty = ShellTask(name="sh_empty")
    sh_empty_all = ShellTask(name="sh_empty_all", return_all=True)
    merged = ShellTask(name="merged", return_all=True)
    failed_all = ShellTask(name="failed_all", return_all=True, log_stderr=True)
    no_command = ShellTask(name="no_command")
    with Flow("shell") as flow:
        last = sh(command="echo one; echo two")
        every = sh_all(command="echo one; echo two")
        failing = sh_fail(command="echo out; exit 3")
        helper = sh_helper(command="echo $X")
        env = sh_env(command="echo $FOO")
        empty = sh_empty(command="true")
        empty_all = sh_empty_all(command="true")
        both = merged(command="echo out; echo err >&2; printf 'x  \\n\\n'")
        failed_lines = failed_all(command="echo out; echo err >&2; exit 1")
        missing = no_command()
    state = flow.run()
    assert type(state).__name__ == "Failed"
    assert outcome(state, last) == ("Success", "two")
    assert outcome(state, every) == ("Success", ["one", "two"])
    assert outcome(state, failing) == ("Failed", "out")
    assert state.result[failing].message == "Command failed with exit code 3"
    assert outcome(state, helper) == ("Success", "hello")
    assert outcome(state, env) == ("Success", "bar")
    assert outcome(state, empty) == ("Success", None)
    assert outcome(state, empty_all) == ("Success", [])
    assert outcome(state, both) == ("Success", ["out", "err", "x", ""])
    assert outcome(state, failed_lines) == ("Failed", ["out", "err"])
    kind, error = outcome(state, missing)
    assert kind == "Failed"
    assert repr(error) == "TypeError(\"run() missing required argument: 'command'\")"


def test_shell_task_streams_its_lines_to_the_run_logger(caplog):
    streaming = ShellTask(name="streaming", stream_output=True)
    with Flow("stream") as flow:
        result = streaming(command="echo s1; echo s2")
    with caplog.at_level("INFO"):
        state = flow.run()
    assert outcome(state, result) == ("Success", "s2")
    messages = [record.getMessage() for record in caplog.records]
    assert messages.index("s1") < messages.index("s2")


def test_templates_function_constant_and_collections():
    fmt = StringFormatter(name="fmt", template="{greeting}, {name}!")
    jinja = JinjaTemplate(name="jinja", template="{{ a }}-{% for i in xs %}{{ i }}{% endfor %}")
    in_context = StringFormatter(name="ctx", template="{flow_name}/{task_name}")
    double = FunctionTask(lambda x: x * 2, name="double")
    constant = Constant(value=[1, 2], name="const")
    with Flow("library") as flow:
        formatted = fmt(greeting="Hi", name="Ann")
        rendered = jinja(a=1, xs=[1, 2, 3])
        from_context = in_context()
        doubled = double(x=21)
        const = constant()
        listed = List(name="lst")(1, doubled)
        paired = Tuple(name="tup")(1, doubled)
        mapping = Dict(name="dct")(keys=["a", "b"], values=[1, doubled])
        unique = Set(name="set")(1, 1, doubled)
    state = flow.run()
    assert state.is_successful()
    assert outcome(state, formatted) == ("Success", "Hi, Ann!")
    assert outcome(state, rendered) == ("Success", "1-123")
    assert outcome(state, from_context) == ("Success", "library/ctx")
    assert outcome(state, doubled) == ("Success", 42)
    assert outcome(state, const) == ("Success", [1, 2])
    assert outcome(state, listed) == ("Success", [1, 42])
    assert outcome(state, paired) == ("Success", (1, 42))
    assert outcome(state, mapping) == ("Success", {"a": 1, "b": 42})
    assert outcome(state, unique) == ("Success", {1, 42})


def test_filter_task_drops_none_and_errors_of_a_mapped_task():
    @task
    def boom(x):
        if x == 2:
            raise signals.SKIP("skip 2")
        if x == 3:
            raise ValueError("bad")
        return x

    default_filter = FilterTask(name="flt")
    custom = FilterTask(name="flt2", filter_func=lambda x: x > 1)
    with Flow("filters") as flow:
        mapped = boom.map([1, 2, 3, None])
        kept = default_filter(mapped)
        bigger = custom([0, 1, 2, 3])
    state = flow.run()
    assert type(state.result[mapped]).__name__ == "Mapped"
    kind, values = outcome(state, kept)
    # 1.4.1 keeps the SKIP signal of the skipped child and drops the error and the None.
    assert kind == "Success"
    assert [type(value).__name__ for value in values] == ["int", "SKIP"]
    assert values[0] == 1 and str(values[1]) == "skip 2"
    assert outcome(state, bigger) == ("Success", [2, 3])


def test_defaults_from_attrs_tags_and_env_var_secrets(monkeypatch):
    monkeypatch.setenv("MY_VAR", "42")
    monkeypatch.delenv("MISSING_VAR", raising=False)

    class Greeter(Task):
        def __init__(self, greeting="hello", **kwargs):
            self.greeting = greeting
            super().__init__(**kwargs)

        @defaults_from_attrs("greeting")
        def run(self, name, greeting=None):
            return f"{greeting} {name}"

    @task
    def ident(x):
        return x

    greeter = Greeter(name="greet")
    with Flow("extras") as flow:
        default = greeter(name="ann")
        given = greeter(name="bob", greeting="hi")
        variable = EnvVarSecret("MY_VAR", cast=int)()
        missing = EnvVarSecret("MISSING_VAR")()
        with tags("dev", "x"):
            tagged = ident(1)
        untagged = ident(2)
    state = flow.run()
    assert outcome(state, default) == ("Success", "hello ann")
    assert outcome(state, given) == ("Success", "hi bob")
    assert outcome(state, variable) == ("Success", 42)
    assert outcome(state, missing) == ("Success", None)
    assert sorted(tagged.tags) == ["dev", "x"]
    assert sorted(untagged.tags) == []


def test_prefect_secret_reads_a_proctor_secret(monkeypatch):
    monkeypatch.setenv("PROCTOR_SECRETS_API_TOKEN", "s3cr3t")
    with Flow("secrets") as flow:
        token = PrefectSecret("API_TOKEN")()
    state = flow.run()
    assert outcome(state, token) == ("Success", "s3cr3t")


def test_jinja_template_without_jinja2_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_jinja(name, *args, **kwargs):
        if name == "jinja2":
            raise ImportError("No module named 'jinja2'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_jinja)
    with pytest.raises(Exception, match=r"pip install 'proctor\[templates\]'"):
        JinjaTemplate(template="{{ a }}").run(a=1)


def test_date_time_parameter_turns_iso_text_into_a_datetime():
    from datetime import UTC, datetime

    from proctor import DateTimeParameter

    @task
    def year(when):
        return (type(when).__name__, when.year)

    with Flow("dates") as flow:
        start = DateTimeParameter("start")
        optional = DateTimeParameter("optional", required=False)
        result = year(start)
        nothing = Parameter("unused", default=1)
    state = flow.run(parameters={"start": "2026-03-01T06:00:00+00:00"})
    assert outcome(state, result) == ("Success", ("datetime", 2026))
    assert state.result[flow.get_tasks(name="optional")[0]].result is None
    assert flow.validate_parameters({"start": "2026-03-01T06:00:00+00:00"})["start"] == datetime(
        2026, 3, 1, 6, tzinfo=UTC
    )
    assert optional is not None and nothing is not None
