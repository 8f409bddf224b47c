"""A real server and a real agent for UI tests that watch flows actually run: the flow
file registered with `proctor register` under a label of its own, an agent covering it,
and `proctor run` to start runs (the user's own commands)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.agent.processes import AgentProcess, proctor_json, start_server

from proctor.testing import ServerProcess

FLOWS = Path(__file__).parent / "flows"


@dataclass
class RealRuns:
    home: Path
    server: ServerProcess
    project: str

    def run(self, flow_name: str, *params: str) -> dict[str, Any]:
        """`proctor run FLOW --param ...`: the created run."""
        args = [arg for param in params for arg in ("--param", param)]
        created: dict[str, Any] = proctor_json(
            "run", flow_name, "--project", self.project, *args,
            home=self.home, api_url=self.server.url,
        )  # fmt: skip
        return created


@contextmanager
def real_runs(home: Path, flow_file: str, project: str) -> Iterator[RealRuns]:
    """A fast-services server on a SQLite file in `home`, `flows/<flow_file>` registered,
    and one agent with the flow's label."""
    server = start_server(home)
    agent = None
    try:
        label = f"{project}-{uuid.uuid4().hex[:6]}"
        proctor_json(
            "register", str(FLOWS / flow_file), "--project", project, "--label", label,
            home=home, api_url=server.url,
        )  # fmt: skip
        agent = AgentProcess(home, server.url, f"{project}-agent", labels=[label])
        yield RealRuns(home, server, project)
    finally:
        if agent:
            agent.stop()
        server.stop()
