"""Test harness shipped to users: a Proctor server for your own tests, two ways.

`InProcessServer` runs the real server app (real database, real start-up) on a background
event loop in this process and hands out clients whose transport calls the app directly:
no socket, no process, no port. Use it when a test checks
what the API answers (create, read, page, errors):

    from proctor.testing import InProcessServer

    with InProcessServer(tmp_path) as server, server.client() as client:
        client.create_project("demo")

`ServerProcess` starts `proctor server start` as a separate process on a free loopback
port. Use it when a test checks what a process does: a crash (`kill()`), a restart, a
long poll over a real connection, websocket subscriptions, the CLI or an agent that find
the server by URL:

    from proctor.testing import ServerProcess

    server = ServerProcess("sqlite+aiosqlite:///tmp/test.db", home=tmp_path)
    url = server.start()
    ...
    server.stop()

`DaskCluster` starts a Dask scheduler and workers as separate processes, for flows that
run with `DaskExecutor(address=...)`.
"""

from proctor.testing.dask_cluster import DaskCluster
from proctor.testing.in_process import InProcessServer, InProcessUnsupported
from proctor.testing.server_process import ServerProcess

__all__ = ["DaskCluster", "InProcessServer", "InProcessUnsupported", "ServerProcess"]
