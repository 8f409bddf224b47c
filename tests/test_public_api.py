"""The public face of the package: what `import proctor` promises, and the layering rule."""

from __future__ import annotations

import json
import subprocess
import sys

import proctor


def test_public_names_are_pinned():
    assert sorted(proctor.__all__) == sorted(
        [
            "DateTimeParameter",
            "Flow",
            "Parameter",
            "Secret",
            "Task",
            "__version__",
            "case",
            "context",
            "exponential_backoff",
            "flatten",
            "flow",
            "get_run_logger",
            "mapped",
            "merge",
            "signals",
            "tags",
            "task",
            "unmapped",
        ]
    )
    for name in proctor.__all__:
        assert getattr(proctor, name) is not None
    # 1.x's `from prefect import Client` works, loaded only when asked for (not in __all__):
    # Proctor's client with the 1.x methods added.
    from proctor.client import Client

    assert issubclass(proctor.Client, Client)


def test_public_modules_import_from_the_documented_paths():
    from proctor import cache_validators, executors, signals, states, triggers

    assert states.Mapped.__mro__[1] is states.Success
    assert callable(triggers.some_successful(at_least=1))
    assert callable(cache_validators.partial_inputs_only(["x"]))
    assert issubclass(signals.TRIGGERFAIL, signals.FAIL)
    assert executors.LocalExecutor.__name__ == "LocalExecutor"
    for module in (states, triggers, cache_validators, signals):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__} lacks {name}"


def _modules_after(statement: str) -> list[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)


def test_core_imports_nothing_of_server_agent_or_cli():
    loaded = _modules_after(
        "import proctor, proctor.core.flow, proctor.core.runner.flow_runner, "
        "proctor.core.executors, proctor.core.loader"
    )
    forbidden = [
        name
        for name in loaded
        if name.startswith(("proctor.server", "proctor.agent", "proctor.cli", "proctor.client"))
    ]
    assert forbidden == []


def test_import_proctor_stays_light():
    loaded = _modules_after("import proctor")
    heavy = {"pydantic", "dask", "distributed", "fsspec", "cloudpickle", "typer", "rich"}
    assert heavy.isdisjoint(loaded)


def test_every_package_module_imports():
    import importlib
    import pkgutil

    failures = []
    for info in pkgutil.walk_packages(proctor.__path__, "proctor."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # collected to report every broken module at once
            failures.append(f"{info.name}: {exc!r}")
    assert failures == []
