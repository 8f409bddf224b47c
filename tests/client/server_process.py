"""The real-server helper now ships with Proctor (`proctor.testing`); kept for imports."""

from proctor.testing.server_process import ServerProcess

__all__ = ["ServerProcess"]
