"""Limits on what one GraphQL operation may ask for: depth, estimated cost, page size.

They are checked before anything executes, on the parsed document with its variables, by a
validation rule that `QueryLimits` (a schema extension) adds to every operation: so a
hostile query costs the server one walk of its syntax tree and nothing else. Each breach is
a GraphQL error with a stable code: `QUERY_TOO_DEEP`, `QUERY_TOO_COSTLY`, `PAGE_TOO_LARGE`.
The request body size is the HTTP layer's job (`http.py`, `PAYLOAD_TOO_LARGE`).

Cost model, deliberately simple and pessimistic: every field costs 1; a field that takes a
`first` argument multiplies the cost of what it selects by that page size (or by the
default page size when absent); any other list field multiplies by `list_factor`.
Introspection (`__schema`, `__type`) is free, so GraphiQL keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
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
    ValidationContext,
    ValidationRule,
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
    """Depth and cost of one operation, expanding fragments, with the schema's types."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: ApiLimits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits

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
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self._fields(fragment.selection_set, seen | {name})

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


def make_limits_rule(limits: ApiLimits, variables: Mapping[str, Any]) -> type[ValidationRule]:
    """A validation rule class bound to this operation's variables."""

    class LimitsRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            self.fragments = {
                definition.name.value: definition
                for definition in document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            schema = self.context.schema
            root = {
                OperationType.QUERY: schema.query_type,
                OperationType.MUTATION: schema.mutation_type,
                OperationType.SUBSCRIPTION: schema.subscription_type,
            }.get(node.operation)
            walker = _Walker(schema, self.fragments, variables, limits)
            try:
                walker.measure(node.selection_set, root, 1)
            except _Breach as breach:
                self.report_error(GraphQLError(str(breach), node, extensions={"code": breach.code}))

    return LimitsRule


class QueryLimits(SchemaExtension):
    """Adds the limits rule, bound to the request's variables and limits, to every
    operation (`limits` here are the fallback when the context carries none)."""

    def __init__(self, limits: ApiLimits) -> None:
        self.limits = limits

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        variables = context.variables if isinstance(context.variables, Mapping) else {}
        # The request's own limits (per app, later per team) win over the defaults.
        limits = getattr(context.context, "limits", None)
        context.validation_rules = (
            *context.validation_rules,
            make_limits_rule(limits if isinstance(limits, ApiLimits) else self.limits, variables),
        )
        yield


__all__ = ["ApiLimits", "QueryLimits", "check_batch_size", "check_page_size", "make_limits_rule"]
