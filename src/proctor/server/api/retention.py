# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Run-history retention in the API: the team's policy (effective, its own figures, the
server's default) with the database's size, and setting the team's own figures.

    query { retentionPolicy { days logMaxBytes keepNewestRuns databaseSizeBytes
            team { days } serverDefault { days } } }
    mutation { setRetentionPolicy(days: 7, logMaxBytes: null, keepNewestRuns: 5) { days } }

A null argument of `setRetentionPolicy` means "the server's default" for that figure.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from proctor.server.api.loaders import ctx
from proctor.server.services import retention_policy
from proctor.server.services.retention_policy import Policy, PolicyOverride, TeamPolicy
from proctor.settings import Settings


@strawberry.type(description="Retention figures; null: the server's default applies.")
class RetentionFigures:
    days: float | None = strawberry.field(description="Days finished runs are kept.")
    log_max_bytes: float | None = strawberry.field(
        description="Bytes of log messages kept per run, newest first (0: no limit)."
    )
    keep_newest_runs: int | None = strawberry.field(
        description="Newest finished runs of each flow kept whatever their age."
    )

    @classmethod
    def of(cls, figures: Policy | PolicyOverride) -> RetentionFigures:
        return cls(
            days=figures.days,
            log_max_bytes=None if figures.log_max_bytes is None else float(figures.log_max_bytes),
            keep_newest_runs=figures.keep_newest_runs,
        )


@strawberry.type(description="The team's run-history retention and the database's size.")
class RetentionPolicy:
    days: float = strawberry.field(description="Effective: days finished runs are kept.")
    log_max_bytes: float = strawberry.field(
        description="Effective: bytes of log messages kept per run (0: no limit)."
    )
    keep_newest_runs: int = strawberry.field(
        description="Effective: newest finished runs of each flow always kept."
    )
    team: RetentionFigures = strawberry.field(description="What the team set itself.")
    server_default: RetentionFigures = strawberry.field(
        description="The server's default (PROCTOR_SERVER_RETENTION_*)."
    )
    updated: datetime | None = strawberry.field(description="When the team last set it.")
    database_size_bytes: float = strawberry.field(
        description="The whole database's size: SQLite file plus WAL, or PostgreSQL's "
        "pg_database_size (shared by every team of the server)."
    )
    database_dialect: str

    @classmethod
    def of(cls, policy: TeamPolicy, size: int, dialect: str) -> RetentionPolicy:
        return cls(
            days=policy.effective.days,
            log_max_bytes=float(policy.effective.log_max_bytes),
            keep_newest_runs=policy.effective.keep_newest_runs,
            team=RetentionFigures.of(policy.team),
            server_default=RetentionFigures.of(policy.default),
            updated=policy.updated,
            database_size_bytes=float(size),
            database_dialect=dialect,
        )


def _default_policy(info: strawberry.Info) -> Policy:
    connection = ctx(info).connection
    settings: Settings | None = None
    if connection is not None:
        settings = getattr(connection.app.state, "settings", None)
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    return Policy.from_settings(settings)


async def _answer(info: strawberry.Info, policy: TeamPolicy) -> RetentionPolicy:
    db = ctx(info).db
    return RetentionPolicy.of(policy, await retention_policy.database_size(db), db.dialect)


@strawberry.type
class RetentionQuery:
    @strawberry.field(description="The team's run-history retention and the database's size.")
    async def retention_policy(self, info: strawberry.Info) -> RetentionPolicy:
        context = ctx(info)
        policy = await retention_policy.get_team_policy(
            context.db, context.tenant_id, _default_policy(info)
        )
        return await _answer(info, policy)


@strawberry.type
class RetentionMutation:
    @strawberry.mutation(
        description="Set the team's own retention figures (team admins); a null one "
        "follows the server's default. Runs past the new policy go at the next pass."
    )
    async def set_retention_policy(
        self,
        info: strawberry.Info,
        days: float | None = None,
        log_max_bytes: float | None = None,
        keep_newest_runs: int | None = None,
    ) -> RetentionPolicy:
        from proctor.server.errors import InvalidInput

        if log_max_bytes is not None and not float(log_max_bytes).is_integer():
            raise InvalidInput(f"logMaxBytes must be a whole number of bytes; got {log_max_bytes}")
        context = ctx(info)
        policy = await retention_policy.set_team_policy(
            context.db,
            context.tenant_id,
            PolicyOverride(
                days=days,
                log_max_bytes=None if log_max_bytes is None else int(log_max_bytes),
                keep_newest_runs=keep_newest_runs,
            ),
            _default_policy(info),
        )
        return await _answer(info, policy)


__all__ = ["RetentionMutation", "RetentionPolicy", "RetentionQuery"]
