"""The GraphQL API (Strawberry), one module per job:

    types, inputs     output and input types (built from service records)
    batches           the items of the batched mutations, read without GraphQL coercion
    queries           Query root: filtered, ordered, cursor-paginated lists and lookups
    mutations         Mutation root, with the batched mutations runs report through
    subscriptions     Subscription root (graphql-transport-ws): live runs, logs, feed
    pagination        the connection shape (nodes, pageInfo, totalCount)
    loaders           the extra reads output types need (one service call each)
    errors            every failure -> a GraphQL error with a stable extensions.code
    limits            query depth, cost and page size checks before execution
    http              the /graphql endpoint: body cap, JSON errors, GraphiQL, websockets
    context           what resolvers get as info.context

`build_schema(limits)` assembles the schema; `proctor.server.app` serves it.
"""

from __future__ import annotations

from functools import partial

from proctor.server.api.errors import ProctorSchema
from proctor.server.api.limits import ApiLimits, QueryLimits


def build_schema(limits: ApiLimits | None = None) -> ProctorSchema:
    """The schema with Proctor's error handling and limits."""
    from proctor.server.api.inputs import BATCH_ITEM_TYPES
    from proctor.server.api.mutations import Mutation
    from proctor.server.api.queries import Query
    from proctor.server.api.subscriptions import Subscription

    configured = limits or ApiLimits()
    return ProctorSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=BATCH_ITEM_TYPES,
        # A factory: strawberry builds a fresh extension per operation.
        extensions=[partial(QueryLimits, configured)],
    )


__all__ = ["ApiLimits", "build_schema"]
