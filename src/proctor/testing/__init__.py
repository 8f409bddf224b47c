"""Test harness shipped to users: start a real Proctor server in your own tests.

from proctor.testing import ServerProcess

server = ServerProcess("sqlite+aiosqlite:///tmp/test.db", home=tmp_path)
url = server.start()
...
server.stop()
"""

from proctor.testing.server_process import ServerProcess

__all__ = ["ServerProcess"]
