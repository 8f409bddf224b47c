"""Every 1.x module path a flow file imports exists under `proctor`, with the 1.x names.

The lists are 1.x's own (checked against Prefect 1.4.1's modules), minus what Proctor does
not offer on purpose; each name must resolve to something real, not a placeholder.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PATHS: dict[str, list[str]] = {
    "proctor": [
        "Client", "DateTimeParameter", "Flow", "Parameter", "Task", "apply_map", "case", "context",
        "flatten", "mapped", "resource_manager", "tags", "task", "unmapped",
    ],
    "proctor.tasks.control_flow": ["FilterTask", "case", "ifelse", "merge", "switch"],
    "proctor.tasks.control_flow.conditional": ["ifelse", "merge", "switch"],
    "proctor.tasks.control_flow.filter": ["FilterTask"],
    "proctor.engine": ["signals", "state", "FlowRunner", "TaskRunner"],
    "proctor.engine.signals": [
        "ENDRUN", "FAIL", "LOOP", "PAUSE", "PrefectSignal", "PrefectStateSignal", "RETRY",
        "SKIP", "SUCCESS", "TRIGGERFAIL",
    ],
    "proctor.engine.state": [
        "Cached", "Cancelled", "Cancelling", "Failed", "Finished", "Mapped", "Paused",
        "Pending", "Queued", "Retrying", "Running", "Scheduled", "Skipped", "State",
        "Submitted", "Success", "TimedOut", "TriggerFailed",
    ],
    "proctor.engine.results": [
        "AzureResult", "GCSResult", "LocalResult", "PrefectResult", "S3Result",
    ],
    "proctor.engine.serializers": ["JSONSerializer", "PickleSerializer", "Serializer"],
    "proctor.engine.cache_validators": [
        "all_inputs", "all_parameters", "duration_only", "never_use", "partial_inputs_only",
        "partial_parameters_only",
    ],
    "proctor.engine.flow_runner": ["FlowRunner"],
    "proctor.engine.task_runner": ["TaskRunner"],
    "proctor.executors": ["DaskExecutor", "LocalDaskExecutor", "LocalExecutor"],
    "proctor.schedules": ["CronSchedule", "IntervalSchedule", "RRuleSchedule", "Schedule"],
    "proctor.schedules.clocks": ["Clock", "CronClock", "DatesClock", "IntervalClock", "RRuleClock"],
    "proctor.schedules.filters": [
        "at_time", "between_dates", "between_datetimes", "between_times", "is_day_of_week",
        "is_month_end",
        "is_month_start", "is_weekday", "is_weekend", "on_date", "on_datetime",
    ],
    "proctor.schedules.adjustments": ["add", "next_weekday"],
    "proctor.storage": [
        "Azure", "Bitbucket", "CodeCommit", "Docker", "GCS", "Git", "GitHub", "GitLab",
        "Local", "Module", "S3", "Storage", "Webhook",
    ],
    "proctor.run_configs": [
        "DockerRun", "ECSRun", "KubernetesRun", "LocalRun", "RunConfig", "UniversalRun",
        "VertexRun",
    ],
    "proctor.triggers": [
        "all_failed", "all_finished", "all_successful", "always_run", "any_failed",
        "any_successful", "manual_only", "not_all_skipped", "some_failed", "some_successful",
    ],
    "proctor.utilities.tasks": ["apply_map", "as_task", "defaults_from_attrs", "mapped", "tags",
                                "task", "unmapped"],
    "proctor.utilities.edges": ["flatten", "mapped", "unmapped"],
    "proctor.utilities.logging": ["get_logger"],
    "proctor.core.edge": ["Edge"],
    "proctor.tasks.shell": ["ShellTask"],
    "proctor.tasks.templates": ["JinjaTemplate", "StringFormatter"],
    "proctor.tasks.templates.strings": ["StringFormatter"],
    "proctor.tasks.templates.jinja2": ["JinjaTemplate"],
    "proctor.tasks.core.function": ["FunctionTask"],
    "proctor.tasks.core.constants": ["Constant"],
    "proctor.tasks.core.resource_manager": ["ResourceManager", "resource_manager"],
    "proctor.tasks.core.collections": ["Dict", "List", "Set", "Tuple"],
    "proctor.tasks.core.operators": [
        "Add", "And", "Div", "Equal", "FloorDiv", "GetAttr", "GetItem", "GreaterThan",
        "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "Mod", "Mul", "Not", "NotEqual",
        "Or", "Pow", "Sub",
    ],
    "proctor.tasks.prefect": [
        "StartFlowRun", "create_flow_run", "get_task_run_result", "wait_for_flow_run",
    ],
    "proctor.tasks.secrets": ["EnvVarSecret", "PrefectSecret", "SecretBase"],
    "proctor.backend": [
        "FlowRunView", "TaskRunView", "delete_key", "get_key_value", "list_keys",
        "set_key_value",
    ],
}  # fmt: skip


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_1x_path_imports_with_its_names(path):
    module = importlib.import_module(path)
    missing = [name for name in PATHS[path] if getattr(module, name, None) is None]
    assert missing == []


def test_the_names_are_the_engines_own_objects():
    import proctor
    from proctor.core.branching import case
    from proctor.core.graph import Edge, unmapped
    from proctor.core.signals import FAIL
    from proctor.core.states import Success
    from proctor.core.task import FunctionTask
    from proctor.engine import signals, state
    from proctor.tasks.control_flow import case as case_1x
    from proctor.tasks.core.function import FunctionTask as FunctionTask1x
    from proctor.utilities.edges import unmapped as unmapped_1x

    assert signals.FAIL is FAIL and state.Success is Success
    assert case_1x is case and unmapped_1x is unmapped and proctor.unmapped is unmapped
    assert FunctionTask1x is FunctionTask
    assert importlib.import_module("proctor.core.edge").Edge is Edge


def test_the_1x_runners_are_reached_from_proctor_engine():
    from proctor import engine

    assert engine.FlowRunner.__name__ == "FlowRunner"
    assert engine.TaskRunner.__name__ == "TaskRunner"


def test_star_imports_of_1x_paths_work():
    # 1.x files do `from prefect.engine.state import *`: every listed name must exist.
    code = (
        "from proctor.engine.state import *; from proctor.engine.signals import *; "
        "from proctor.tasks.core.operators import *; from proctor.storage import *; "
        "print(Success.__name__, SKIP.__name__, Add.__name__, GitHub.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Success", "SKIP", "Add", "GitHub"]


def test_import_proctor_does_not_load_the_1x_layers():
    code = (
        "import sys, proctor; print(sorted(m for m in sys.modules if 'compat' in m or "
        "m.startswith(('proctor.client', 'proctor.engine', 'proctor.tasks'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_hosted_only_apis_raise_one_clear_error_naming_the_alternative():
    from proctor.backend import set_key_value
    from proctor.compat.errors import NotOfferedError

    with pytest.raises(NotOfferedError) as raised:
        set_key_value("k", "v")
    message = str(raised.value)
    assert message.startswith("prefect.backend.set_key_value (1.x) is not offered by Proctor")
    assert "Result" in message


def test_a_name_1x_does_not_have_is_a_plain_attribute_error():
    import proctor.tasks.control_flow as control_flow

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = control_flow.nothing_here
