"""`proctor.client` stands alone: importing it loads no server, CLI or agent module."""

from __future__ import annotations

import subprocess
import sys


def test_client_imports_neither_server_nor_cli():
    code = (
        "import sys, proctor.client\n"
        "from proctor.client import Client, AsyncClient\n"
        "roots = {'proctor.server', 'proctor.cli', 'proctor.agent', 'strawberry', 'starlette',"
        " 'uvicorn', 'sqlalchemy'}\n"
        "bad = sorted(m for m in sys.modules if m in roots or m.rpartition('.')[0] in roots"
        " or any(m.startswith(root + '.') for root in roots))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
