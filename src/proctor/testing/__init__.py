"""Test harness shipped to users: start a real Proctor server in your own tests.

from proctor.testing import ServerProcess

server = ServerProcess("sqlite+aiosqlite:///tmp/test.db", home=tmp_path)
url = server.start()
...
server.stop()

`DaskCluster` starts a Dask scheduler and workers as separate processes, for flows that
run with `DaskExecutor(address=...)`.
"""

from proctor.testing.dask_cluster import DaskCluster
from proctor.testing.server_process import ServerProcess

__all__ = ["DaskCluster", "ServerProcess"]
