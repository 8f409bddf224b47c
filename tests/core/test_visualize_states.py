"""`flow.visualize` with a run's state (1.x `visualize(flow_state=, filename=, format=)`):
tasks coloured by state in DOT text; pictures need graphviz's `dot`, and without it the
call raises one clear ImportError, as 1.x did, writing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from proctor import Flow, task
from proctor.core.visualize import STATE_COLOURS, GraphvizMissing


@task
def fine():
    return 1


@task
def broken(x):
    raise ValueError("no")


def _flow() -> Flow:
    with Flow("pictured") as flow:
        broken(fine())
    return flow


def test_dot_text_colours_each_task_by_its_state() -> None:
    flow = _flow()
    state = flow.run()
    text = flow.visualize(format="dot", flow_state=state, horizontal=True)
    assert "rankdir=LR;" in text
    assert f'label="fine", shape=box, style="filled", fillcolor="{STATE_COLOURS["Success"]}"' in (
        text
    )
    assert f'label="broken", shape=box, style="filled", fillcolor="{STATE_COLOURS["Failed"]}"' in (
        text
    )
    # 1.x's first positional argument is the flow state: DOT text then.
    assert flow.visualize(state) == flow.visualize(format="dot", flow_state=state)


def test_a_picture_without_graphviz_is_one_clear_import_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    flow = _flow()
    state = flow.run()
    target = tmp_path / "run"
    with pytest.raises(ImportError, match="requires graphviz") as raised:
        flow.visualize(flow_state=state, filename=str(target), format="png")
    assert isinstance(raised.value, GraphvizMissing)
    assert "apt-get install graphviz" in str(raised.value)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ImportError, match="requires graphviz"):
        flow.visualize(filename=str(tmp_path / "plain.png"))


def test_a_bad_picture_format_is_named() -> None:
    with pytest.raises(Exception, match="graphviz output format"):
        _flow().visualize(format="../png")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed here")
def test_a_picture_is_written_beside_its_dot_source(tmp_path: Path) -> None:
    flow = _flow()
    state = flow.run()
    target = tmp_path / "run"
    source = flow.visualize(flow_state=state, filename=str(target), format="svg")
    assert target.read_text() == source
    assert (tmp_path / "run.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
