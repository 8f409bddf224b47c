"""The run process's secret resolver: `Secret("NAME").get()` asks the server.

The server hands a team's secret only to a flow run of that team that is Submitted or
Running, so the resolver sends the run's id along. Values are kept for the rest of the
process (one request per name, whatever the number of tasks reading it).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from proctor.client import GraphQLError, NotFound, ProctorClientError
from proctor.core.secrets import SecretError, SecretNotFound

if TYPE_CHECKING:
    from proctor.client import Client


class ServerSecrets:
    """A `SecretResolver` reading the team's secrets for flow run `flow_run_id`."""

    def __init__(self, client: Client, flow_run_id: str) -> None:
        self.client = client
        self.flow_run_id = flow_run_id
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str) -> str:
        with self._lock:
            found = self._values.get(name)
            if found is not None:
                return found
            try:
                value = self.client.secret_value(name, self.flow_run_id)
            except NotFound as error:
                raise SecretNotFound(
                    f"No secret {name!r} on the server for this run's team: set it with "
                    f"`proctor secrets set {name}` ({error.message})."
                ) from None
            except GraphQLError as error:
                raise SecretError(f"The server refused secret {name!r}: {error.message}") from None
            except ProctorClientError as error:
                raise SecretError(f"Could not read secret {name!r}: {error}") from None
            self._values[name] = value
            return value


__all__ = ["ServerSecrets"]
