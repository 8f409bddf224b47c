"""Limits on what one GraphQL operation may ask for: size, fields, aliases, depth, cost.

A hostile document must cost the server one bounded walk and nothing else, so the limits
are checked in two places before anything heavier runs:

- parsing stops after `max_tokens` tokens (graphql-core's own guard), so a megabyte of
  aliases is refused after reading its first few kilobytes;
- `QueryLimits.on_validate` walks the parsed document *before* graphql-core's validation
  (whose overlapping-fields rule grows with the square of the fields) and refuses it when
  it selects more than `max_fields` fields (fragments expanded; the walk stops as soon as
  the budget is spent, so fragment bombs cannot make it exponential), more than
  `max_aliases` aliases, nests deeper than `max_depth`, or could return more than
  `max_cost` values. Only a document within every limit is validated and executed.

Each breach is a GraphQL error with a stable code: `QUERY_TOO_LARGE` (tokens, fields,
aliases), `QUERY_TOO_DEEP`, `QUERY_TOO_COSTLY`, `PAGE_TOO_LARGE`. The limits are the same
for every role and for anonymous requests. The request body size is the HTTP layer's job
(`http.py`, `PAYLOAD_TOO_LARGE`), as is the time a request may run.

Cost model, deliberately simple and pessimistic: every field costs 1; a field that takes a
`first` argument multiplies the cost of what it selects by that page size (or by the
default page size when absent); any other list field multiplies by `list_factor`.
Introspection (`__schema`, `__type`) costs nothing and has no depth limit, so GraphiQL keeps
working, but its fields count towards `max_fields`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from proctor.server.api.errors import ApiError
from proctor.server.api.limit_values import ApiLimits


def check_page_size(first: int | None, limits: ApiLimits) -> int:
    """The page size to use for `first`, or the error a resolver should raise."""
    if first is None:
        return limits.default_page_size
    if first < 0:
        raise ApiError("INVALID_INPUT", "`first` must be zero or more")
    if first > limits.max_page_size:
        raise ApiError(
            "PAGE_TOO_LARGE", f"`first` is {first}; at most {limits.max_page_size} per page"
        )
    return first


def check_batch_size(items: list[Any], limits: ApiLimits) -> None:
    """Refuse a batched mutation larger than the server accepts in one transaction."""
    if len(items) > limits.max_batch_items:
        raise ApiError(
            "LIMIT_EXCEEDED",
            f"{len(items)} items in one batch; at most {limits.max_batch_items}: split it",
        )


class _Breach(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Walker:
    """Fields, aliases, depth and cost of one document, expanding fragments, with the
    schema's types. Counts are shared by every operation of the document."""

    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: ApiLimits,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.fields = 0
        self.aliases = 0

    def _page_size(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if value is None:
                return self.limits.default_page_size
            if isinstance(value, int) and value > self.limits.max_page_size:
                raise _Breach(
                    "PAGE_TOO_LARGE",
                    f"`first: {value}` on `{node.name.value}`: at most "
                    f"{self.limits.max_page_size} per page",
                )
            return value if isinstance(value, int) and value >= 0 else 0
        return None

    def _fields(self, selection_set: SelectionSetNode, seen: frozenset[str]) -> Iterator[FieldNode]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._count(selection)
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self._fields(fragment.selection_set, seen | {name})

    def _count(self, field: FieldNode) -> None:
        self.fields += 1
        if self.fields > self.limits.max_fields:
            raise _Breach(
                "QUERY_TOO_LARGE",
                f"the query selects more than {self.limits.max_fields} fields (fragments "
                "expanded): split it into smaller queries",
            )
        if field.alias is not None:
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _Breach(
                    "QUERY_TOO_LARGE",
                    f"the query uses more than {self.limits.max_aliases} aliases: "
                    "split it into smaller queries",
                )

    def _count_only(self, selection_set: SelectionSetNode) -> None:
        """Introspection: fields count, depth and cost do not."""
        for field in self._fields(selection_set, frozenset()):
            if field.selection_set is not None:
                self._count_only(field.selection_set)

    def measure(self, selection_set: SelectionSetNode, parent: Any, depth: int) -> tuple[int, int]:
        """(depth, cost) of a selection set whose fields belong to `parent`."""
        if depth > self.limits.max_depth:
            raise _Breach(
                "QUERY_TOO_DEEP",
                f"the query nests deeper than {self.limits.max_depth} levels",
            )
        deepest, cost = depth, 0
        for field in self._fields(selection_set, frozenset()):
            name = field.name.value
            if name.startswith("__"):
                if field.selection_set is not None:
                    self._count_only(field.selection_set)
                continue
            field_def = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
            field_type = field_def.type if field_def is not None else None
            page = self._page_size(field)
            factor = (
                page
                if page is not None
                else (self.limits.list_factor if _is_list(field_type) else 1)
            )
            child_cost = 0
            if field.selection_set is not None:
                named = get_named_type(field_type) if field_type is not None else None
                child_depth, child_cost = self.measure(field.selection_set, named, depth + 1)
                deepest = max(deepest, child_depth)
            cost += 1 + factor * child_cost
            if cost > self.limits.max_cost:
                raise _Breach(
                    "QUERY_TOO_COSTLY",
                    f"the query could return more than {self.limits.max_cost} values: "
                    "ask for smaller pages or fewer nested lists",
                )
        return deepest, cost


def _is_list(field_type: Any) -> bool:
    while isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def check_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any],
    limits: ApiLimits,
) -> GraphQLError | None:
    """The first limit `document` breaks (as a GraphQL error with its code), or None.

    Cheap by construction: the walk stops once the field budget is spent."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    roots = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    walker = _Walker(fragments, variables, limits)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        try:
            walker.measure(definition.selection_set, roots.get(definition.operation), 1)
        except _Breach as breach:
            return GraphQLError(str(breach), definition, extensions={"code": breach.code})
    return None


class QueryLimits(SchemaExtension):
    """Caps parsing at `max_tokens` and checks the other limits on the parsed document
    before graphql-core validates it (`limits` here are the fallback when the request's
    context carries none)."""

    def __init__(self, limits: ApiLimits) -> None:
        self.limits = limits

    def _limits(self) -> ApiLimits:
        # The request's own limits (per app, later per team) win over the defaults.
        limits = getattr(self.execution_context.context, "limits", None)
        return limits if isinstance(limits, ApiLimits) else self.limits

    def on_parse(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self._limits().max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            variables = context.variables if isinstance(context.variables, Mapping) else {}
            breach = check_document(context.schema._schema, document, variables, self._limits())
            if breach is not None:
                # Set before graphql-core's validation: strawberry then skips it.
                context.pre_execution_errors = [breach]
        yield


__all__ = ["ApiLimits", "QueryLimits", "check_batch_size", "check_document", "check_page_size"]
