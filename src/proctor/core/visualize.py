"""Text pictures of a flow's graph: Mermaid (renders on GitHub and in the UI) and DOT."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from proctor.core.errors import ProctorError

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.states import State


def _mermaid(flow: Flow) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(flow.nodes)}
    lines = ["flowchart TD"]
    for node, node_id in ids.items():
        label = node.slug.replace('"', "'") + (" (mapped)" if node.mapped else "")
        shape = f'[/"{label}"/]' if node in flow.parameters.values() else f'["{label}"]'
        lines.append(f"    {node_id}{shape}")
    for edge in flow.edges:
        arrow = "==>" if edge.mapped else "-->"
        label = f"|{edge.key}|" if edge.key else ""
        lines.append(f"    {ids[edge.upstream]} {arrow}{label} {ids[edge.downstream]}")
    return "\n".join(lines) + "\n"


# Fill colours of task states in a picture of a run (`flow_state=`), by state class; the
# first class of a state's lineage found here wins (Cached is a Success, ...).
STATE_COLOURS = {
    "TriggerFailed": "#f0a8a8",
    "TimedOut": "#f0a8a8",
    "Failed": "#e05252",
    "Skipped": "#d9d9d9",
    "Cached": "#9ad0a3",
    "Mapped": "#b7dfbf",
    "Success": "#5cb85c",
    "Paused": "#f7d774",
    "Cancelled": "#b0b0b0",
    "Retrying": "#f5b971",
    "Scheduled": "#f5e0a3",
    "Running": "#7fb2f0",
    "Pending": "#eeeeee",
}


def _colour(state: Any) -> str | None:
    for cls in type(state).__mro__:
        if cls.__name__ in STATE_COLOURS:
            return STATE_COLOURS[cls.__name__]
    return None


def _dot(flow: Flow, flow_state: State | None = None, horizontal: bool = False) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(flow.nodes)}
    states = flow_state.result if flow_state is not None else None
    if not isinstance(states, dict):
        states = {}
    lines = [f'digraph "{flow.name}" {{', f"    rankdir={'LR' if horizontal else 'TB'};"]
    for node, node_id in ids.items():
        shape = "parallelogram" if node in flow.parameters.values() else "box"
        colour = _colour(states[node]) if node in states else None
        if colour is None and node.mapped:
            colour = "#e8eefc"
        style = f', style="filled", fillcolor="{colour}"' if colour else ""
        lines.append(f'    {node_id} [label="{node.slug}", shape={shape}{style}];')
    for edge in flow.edges:
        attrs = []
        if edge.key:
            attrs.append(f'label="{edge.key}"')
        if edge.mapped:
            attrs.append("style=bold")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {ids[edge.upstream]} -> {ids[edge.downstream]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


class GraphvizMissing(ProctorError, ImportError):
    """A picture was asked for, and graphviz's `dot` program is not installed.

    An ImportError too, as 1.x raised when graphviz was missing."""


TEXT_FORMATS = ("mermaid", "dot")


def visualize_flow(
    flow: Flow,
    *,
    format: str | None = "mermaid",
    filename: str | None = None,
    flow_state: State | None = None,
    horizontal: bool = False,
) -> str:
    """The graph as text: Mermaid or DOT (`format=`), or, for any other format (`png`,
    `svg`, `pdf`: graphviz's), a picture drawn by graphviz's `dot` program.

    Text: with `filename` it is also written there; with a `.png`/`.svg` filename the
    picture is drawn too. `flow_state` (a run's final state) colours each task by its
    state in DOT text and pictures; `horizontal` lays the graph out left to right.

    Pictures (1.x's `visualize(flow_state=, filename=, format=)`): `filename` without
    extension receives the DOT source and `filename.<format>` the picture, as graphviz
    wrote them for 1.x; without a filename nothing is written. Returns the DOT text.
    Without `dot` on PATH this raises GraphvizMissing (an ImportError, as in 1.x).
    """
    if format is None:
        format = "dot" if flow_state is not None else "mermaid"
    if format in TEXT_FORMATS:
        text = _mermaid(flow) if format == "mermaid" else _dot(flow, flow_state, horizontal)
        if filename is not None:
            if filename.endswith((".png", ".svg")):
                _draw(_dot(flow, flow_state, horizontal), filename.rsplit(".", 1)[1], filename)
            else:
                with open(filename, "w", encoding="utf-8") as handle:
                    handle.write(text)
        return text
    if not format.isalnum():
        raise ProctorError(
            f"visualize(format={format!r}): 'mermaid' or 'dot' for text, or a graphviz "
            "output format such as 'png', 'svg' or 'pdf' for a picture."
        )
    source = _dot(flow, flow_state, horizontal)
    dot = _dot_program()
    if filename is not None:
        with open(filename, "w", encoding="utf-8") as handle:
            handle.write(source)
        _draw(source, format, f"{filename}.{format}", dot)
    return source


def _dot_program() -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing(
            "This feature requires graphviz: drawing a picture of the flow needs its `dot` "
            "program (apt-get install graphviz, brew install graphviz). "
            "visualize(format='dot') or 'mermaid' gives the text without it."
        )
    return dot


def _draw(source: str, picture_format: str, target: str, dot: str | None = None) -> None:
    done = subprocess.run(
        [dot or _dot_program(), f"-T{picture_format}", "-o", target],
        input=source.encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise ProctorError(
            f"graphviz could not draw {target}: {done.stderr.decode(errors='replace').strip()}"
        )


__all__ = ["STATE_COLOURS", "GraphvizMissing", "visualize_flow"]
