"""The server's database: `Database` (engine, sessions, migrations), models, dialects."""

from proctor.server.database.engine import Database
from proctor.server.database.models.base import DEFAULT_TENANT_ID
from proctor.server.database.session import record_event

__all__ = ["DEFAULT_TENANT_ID", "Database", "record_event"]
