"""Text pictures of a flow's graph: Mermaid (renders on GitHub and in the UI) and DOT."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

from proctor.core.errors import ProctorError

if TYPE_CHECKING:
    from proctor.core.flow import Flow


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


def _dot(flow: Flow) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(flow.nodes)}
    lines = [f'digraph "{flow.name}" {{', "    rankdir=TB;"]
    for node, node_id in ids.items():
        shape = "parallelogram" if node in flow.parameters.values() else "box"
        style = ', style="filled", fillcolor="#e8eefc"' if node.mapped else ""
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


def visualize_flow(flow: Flow, *, format: str = "mermaid", filename: str | None = None) -> str:
    """Return the graph as text; with a `.png`/`.svg` filename also render it with graphviz."""
    if format not in ("mermaid", "dot"):
        raise ProctorError(f"visualize(format={format!r}): choose 'mermaid' or 'dot'.")
    text = _mermaid(flow) if format == "mermaid" else _dot(flow)
    if filename is not None:
        if filename.endswith((".png", ".svg")):
            dot = shutil.which("dot")
            if dot is None:
                raise ProctorError(
                    "Rendering a picture needs graphviz's `dot` (apt-get install graphviz); "
                    "the DOT/Mermaid text works without it."
                )
            subprocess.run(
                [dot, f"-T{filename.rsplit('.', 1)[1]}", "-o", filename],
                input=_dot(flow).encode(),
                check=True,
            )
        else:
            with open(filename, "w", encoding="utf-8") as handle:
                handle.write(text)
    return text


__all__ = ["visualize_flow"]
