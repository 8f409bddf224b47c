"""Request limits: what one GraphQL operation may ask for (size, fields, aliases, depth,
cost).

A hostile document must cost the server one bounded look and nothing else, and no
document may hold the event loop for long, so the limits are checked in three places
before anything heavier runs:

- before parsing, `document_scan` reads the source token by token and stops at the
  first limit passed (tokens, aliases, fields as written, depth): a megabyte of aliases
  is refused after its first few hundred bytes, without being parsed;
- parsing stops after `max_tokens` tokens (graphql-core's own guard), and a document
  longer than a few kilobytes is scanned and parsed in a worker thread
  (`document_worker`), not on the event loop;
- `RequestLimitsCheck.on_validate` walks the parsed document *before* graphql-core's
  validation (whose overlapping-fields rule grows with the square of the fields) and
  refuses it when it selects more than `max_fields` fields (fragments expanded; the walk
  stops as soon as the budget is spent, so fragment bombs cannot make it exponential),
  more than `max_aliases` aliases, nests deeper than `max_depth`, or could return more
  than `max_cost` values. Only a document within every limit is validated (in the worker
  thread when it is large) and executed.
- a short document that passed all of this is kept (`document_cache`): sent again, it
  skips the scan, the parse and graphql-core's rules; its limits (the cost depends on the
  variables) and the rules made for the request (who may run it) are checked again.

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

from collections.abc import AsyncIterator, Hashable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql import (
    ASTValidationRule,
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
    SelectionNode,
    SelectionSetNode,
    SourceLocation,
    VariableNode,
    get_named_type,
    parse,
    specified_rules,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from proctor.server.api.document_cache import ValidDocuments
from proctor.server.api.document_scan import scan_document
from proctor.server.api.document_worker import INLINE_CHARACTERS, INLINE_FIELDS, off_loop
from proctor.server.api.errors import ApiError
from proctor.server.api.request_limit_values import RequestLimits


def check_page_size(first: int | None, limits: RequestLimits) -> int:
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


def check_batch_size(items: list[Any], limits: RequestLimits) -> None:
    """Refuse a batched mutation larger than the server accepts in one transaction."""
    if len(items) > limits.max_batch_items:
        raise ApiError(
            "LIMIT_EXCEEDED",
            f"{len(items)} items in one batch; at most {limits.max_batch_items}: split it",
        )


# Selections (fields, fragment spreads, inline fragments) the walk may visit per field
# allowed: spreads that expand to nothing (an undefined fragment, repeated) are work too.
SELECTIONS_PER_FIELD = 4


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
        limits: RequestLimits,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.fields = 0
        self.aliases = 0
        self.steps = 0  # selections visited: fields, spreads and inline fragments

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

    def _fields(self, selection_set: SelectionSetNode) -> Iterator[FieldNode]:
        """The fields of `selection_set`, fragments expanded (a fragment is not expanded
        inside itself). Iterative, with one step per selection: a chain of thousands of
        fragments costs one step per spread, not a generator frame per level for every
        field, and spreads that expand to no field at all still spend the budget."""
        stack: list[tuple[Iterator[SelectionNode], str | None]] = [
            (iter(selection_set.selections), None)
        ]
        active: set[str] = set()  # the fragments being expanded, on the current path
        while stack:
            selections, expanding = stack[-1]
            selection = next(selections, None)
            if selection is None:
                stack.pop()
                if expanding is not None:
                    active.discard(expanding)
                continue
            self._step()
            if isinstance(selection, FieldNode):
                self._count(selection)
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                stack.append((iter(selection.selection_set.selections), None))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in active:
                    active.add(name)
                    stack.append((iter(fragment.selection_set.selections), name))

    def _step(self) -> None:
        self.steps += 1
        if self.steps > self.limits.max_fields * SELECTIONS_PER_FIELD:
            raise _Breach(
                "QUERY_TOO_LARGE",
                f"the query expands to more than {self.limits.max_fields * SELECTIONS_PER_FIELD}"
                " selections (fragments expanded): split it into smaller queries",
            )

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
        for field in self._fields(selection_set):
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
        for field in self._fields(selection_set):
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
    limits: RequestLimits,
) -> GraphQLError | None:
    """The first limit `document` breaks (as a GraphQL error with its code), or None.

    Cheap by construction: the walk stops once the field budget is spent."""
    return _check(schema, document, variables, limits)[0]


def _check(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any],
    limits: RequestLimits,
) -> tuple[GraphQLError | None, int]:
    """`check_document`'s answer, and how many fields the walk counted."""
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
            error = GraphQLError(str(breach), definition, extensions={"code": breach.code})
            return error, walker.fields
    return None, walker.fields


class RequestLimitsCheck(SchemaExtension):
    """Scans the document before it is parsed, caps parsing at `max_tokens` and checks the
    other limits on the parsed document before graphql-core validates it; large documents
    are parsed and validated off the event loop (`limits` here are the fallback when the
    request's context carries none)."""

    def __init__(self, limits: RequestLimits, known: ValidDocuments | None = None) -> None:
        self.limits = limits
        # Shared by every operation of the schema (the factory passes one); a document
        # found there skips the scan, the parse and graphql-core's validation.
        self.known = known if known is not None else ValidDocuments(0)
        self._key: Hashable | None = None
        self._reused = False

    def _limits(self) -> RequestLimits:
        # The request's own limits (per app, later per team) win over the defaults.
        limits = getattr(self.execution_context.context, "request_limits", None)
        return limits if isinstance(limits, RequestLimits) else self.limits

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        limits = self._limits()
        context.parse_options["max_tokens"] = limits.max_tokens
        query = context.query
        failure: GraphQLError | None = None
        if context.graphql_document is None and isinstance(query, str):
            self._key = self.known.key(query, _schema_rules(context.validation_rules), limits)
            known = self.known.get(self._key)
            if known is not None:
                context.graphql_document = known
                self._reused = True
        if context.graphql_document is None and isinstance(query, str) and query:
            try:
                if len(query) > INLINE_CHARACTERS:
                    options = dict(context.parse_options)
                    context.graphql_document = await off_loop(
                        partial(_scan_and_parse, query, limits, options)
                    )
                else:
                    _raise_breach(query, limits)
            except GraphQLError as error:
                # Strawberry reports only the failures of its own parse: let it parse a
                # document that fails at its first character (reading nothing of this
                # one), then put the query back and report this error instead.
                failure = error
                context.query = _FAILS_AT_ONCE
        yield
        if failure is not None:
            context.query = query
            if context.pre_execution_errors:
                _become(context.pre_execution_errors[0], failure)

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            check = partial(
                _check_and_validate,
                context.schema._schema,
                document,
                context.variables if isinstance(context.variables, Mapping) else {},
                self._limits(),
                # A reused document passed the schema's rules when it was kept: only its
                # limits (which depend on the variables) and the rules of this request
                # (who may run it) are checked again.
                _request_rules(context.validation_rules)
                if self._reused
                else tuple(context.validation_rules),
            )
            if len(context.query or "") > INLINE_CHARACTERS:
                errors = await off_loop(check)
            else:
                errors = check(validate_over=INLINE_FIELDS)
                if errors is None:  # within the limits, but large once expanded
                    errors = await off_loop(check)
            # Set before graphql-core's validation: strawberry skips what is done.
            context.pre_execution_errors = errors
            if errors == [] and not self._reused:
                self.known.keep(self._key, document)
        yield


_FAILS_AT_ONCE = "}"
# graphql-core's own rules: their verdict depends on the schema and the document only.
# Any other rule (authorization is one, made for each request's principal) is run for
# every request, kept document or not.
_SCHEMA_RULES = frozenset(specified_rules)


def _schema_rules(rules: Iterable[type[ASTValidationRule]]) -> frozenset[type[ASTValidationRule]]:
    return frozenset(rule for rule in rules if rule in _SCHEMA_RULES)


def _request_rules(rules: Iterable[type[ASTValidationRule]]) -> tuple[type[ASTValidationRule], ...]:
    return tuple(rule for rule in rules if rule not in _SCHEMA_RULES)


def _check_and_validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any],
    limits: RequestLimits,
    rules: tuple[type[ASTValidationRule], ...],
    validate_over: int | None = None,
) -> list[GraphQLError] | None:
    """The limit `document` breaks, else graphql-core's validation errors (a list, empty
    when valid), or None when the document selects more than `validate_over` fields (the
    caller then validates it in the worker thread)."""
    breach, fields = _check(schema, document, variables, limits)
    if breach is not None:
        return [breach]
    if validate_over is not None and fields > validate_over:
        return None
    return validate_document(schema, document, rules) if rules else []


def _raise_breach(source: str, limits: RequestLimits) -> None:
    """Raise the first limit the source passes, found by the lexer-level scan."""
    breach = scan_document(source, limits)
    if breach is not None:
        error = GraphQLError(breach.message, extensions={"code": breach.code})
        # Not from `source` and an offset: graphql-core would look for line breaks in
        # the whole document (a megabyte) to place it.
        error.locations = [SourceLocation(breach.line, breach.column)]
        raise error


def _scan_and_parse(source: str, limits: RequestLimits, options: dict[str, Any]) -> DocumentNode:
    """In the worker thread: the scan, then graphql-core's parse (raising either's error)."""
    _raise_breach(source, limits)
    return parse(source, **options)


def _become(target: GraphQLError, error: GraphQLError) -> None:
    """Make the error strawberry reports (`target`) say what `error` says."""
    target.message = error.message
    target.locations = error.locations
    target.positions = error.positions
    target.source = error.source
    target.nodes = error.nodes
    target.extensions = dict(error.extensions or {})
    target.original_error = error.original_error


__all__ = [
    "RequestLimits",
    "RequestLimitsCheck",
    "check_batch_size",
    "check_document",
    "check_page_size",
]
