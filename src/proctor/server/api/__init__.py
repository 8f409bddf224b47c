"""The GraphQL API (Strawberry), one module per job:

    types, inputs     output and input types (built from service records)
    batches           the items of the batched mutations, read without GraphQL coercion
    queries           Query root: filtered, ordered, cursor-paginated lists and lookups
    mutations         Mutation root, with the batched mutations runs report through
    subscriptions     Subscription root (graphql-transport-ws): live runs, logs, feed
    pagination        the connection shape (nodes, pageInfo, totalCount)
    loaders           the extra reads output types need (one service call each)
    errors            every failure -> a GraphQL error with a stable extensions.code
    request_limits    query size, depth, cost and page size checks before execution
    http              the /graphql endpoint: body cap, JSON errors, GraphiQL, websockets
    context           what resolvers get as info.context

`build_schema(request_limits)` assembles the schema; `proctor.server.app` serves it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

# Nothing from strawberry or graphql-core at import time: the server imports this package
# (its context and limits) before it listens and builds the schema afterwards.
from proctor.server.api.request_limit_values import RequestLimits

if TYPE_CHECKING:
    from proctor.server.api.errors import ProctorSchema


def build_schema(request_limits: RequestLimits | None = None) -> ProctorSchema:
    """The schema with Proctor's error handling and request limits."""
    from strawberry.tools import merge_types

    from proctor.server.api.activity import ActivityQuery, ActivitySubscription
    from proctor.server.api.alerting import AlertingMutation, AlertingQuery
    from proctor.server.api.artifacts import ArtifactsMutation, ArtifactsQuery
    from proctor.server.api.audit import AuditLog, AuditQuery
    from proctor.server.api.authorization import Authorization
    from proctor.server.api.backfills import BackfillMutation, BackfillQuery
    from proctor.server.api.concurrency_limits import ConcurrencyMutation, ConcurrencyQuery
    from proctor.server.api.document_cache import ValidDocuments
    from proctor.server.api.errors import ProctorSchema
    from proctor.server.api.housekeeping import HousekeepingMutation, HousekeepingQuery
    from proctor.server.api.inputs import BATCH_ITEM_TYPES
    from proctor.server.api.mutations import Mutation
    from proctor.server.api.queries import Query
    from proctor.server.api.request_limits import RequestLimitsCheck
    from proctor.server.api.retention import RetentionMutation, RetentionQuery
    from proctor.server.api.run_bulk import RunBulkMutation
    from proctor.server.api.run_configs import RunConfigQuery
    from proctor.server.api.schedules import ScheduleMutation, ScheduleQuery
    from proctor.server.api.secrets import SecretsMutation, SecretsQuery
    from proctor.server.api.steering import SteeringMutation, SteeringQuery
    from proctor.server.api.subscriptions import Subscription
    from proctor.server.api.teams import TeamsMutation, TeamsQuery

    # Each area adds its root classes here; the permission table must list their fields.
    queries: tuple[type, ...] = (
        Query,
        TeamsQuery,
        SecretsQuery,
        AuditQuery,
        ConcurrencyQuery,
        AlertingQuery,
        RetentionQuery,
        ScheduleQuery,
        BackfillQuery,
        RunConfigQuery,
        ActivityQuery,
        HousekeepingQuery,
        ArtifactsQuery,
        SteeringQuery,
    )
    mutations: tuple[type, ...] = (
        Mutation,
        TeamsMutation,
        SecretsMutation,
        ConcurrencyMutation,
        AlertingMutation,
        RetentionMutation,
        ScheduleMutation,
        BackfillMutation,
        HousekeepingMutation,
        ArtifactsMutation,
        RunBulkMutation,
        SteeringMutation,
    )
    subscriptions: tuple[type, ...] = (Subscription, ActivitySubscription)

    configured = request_limits or RequestLimits()
    return ProctorSchema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations),
        subscription=merge_types("Subscription", subscriptions),
        types=BATCH_ITEM_TYPES,
        # Factories: strawberry builds fresh extensions per operation. Authorization
        # first, so a refused operation is not even measured.
        extensions=[
            Authorization,
            partial(RequestLimitsCheck, configured, ValidDocuments()),
            AuditLog,
        ],
    )


__all__ = ["RequestLimits", "build_schema"]
