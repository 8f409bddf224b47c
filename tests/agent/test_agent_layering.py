"""`proctor.agent` talks to the server only through the client: importing it (and what
the fork server preloads for run processes) loads no server or CLI module."""

from __future__ import annotations

import subprocess
import sys


def test_agent_imports_neither_server_nor_cli():
    code = (
        "import sys, proctor.agent, proctor.agent.child, proctor.agent.launchers\n"
        "roots = ('proctor.server', 'proctor.cli', 'strawberry', 'starlette', 'uvicorn',"
        " 'sqlalchemy', 'typer')\n"
        "bad = sorted(m for m in sys.modules if m in roots or m.startswith(tuple(r + '.' for r"
        " in roots)))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
