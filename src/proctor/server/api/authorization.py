"""Every operation is checked against the permission table before it executes.

`Authorization` (a schema extension) adds a validation rule bound to the request's
principal: each root field the operation selects (through fragments too) must be listed
in `FIELD_ACTIONS` and its action allowed for the principal's role. A refusal is a
GraphQL error with code `UNAUTHENTICATED` (no identity, and the field is not public) or
`FORBIDDEN` (the role may not), and nothing of the operation runs: a mutation that
selects one forbidden field changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension

from proctor.server.auth.permissions import Action, allowed, field_action
from proctor.server.auth.principal import Principal

_ROOT_NAMES = {
    OperationType.QUERY: "Query",
    OperationType.MUTATION: "Mutation",
    OperationType.SUBSCRIPTION: "Subscription",
}


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    seen: set[str] = set()
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    stack.append(fragment.selection_set)


def refusal(
    principal: Principal | None, type_name: str, field_name: str, problem: str | None = None
) -> GraphQLError | None:
    """Why `principal` may not use root field `type_name.field_name`, or None if it may.

    `problem` says why credentials the request presented were refused (an expired key)."""
    if field_name.startswith("__"):
        # Introspection and __typename: harmless, but not to strangers in auth mode.
        if principal is None and field_name != "__typename":
            return GraphQLError(
                "Log in or send an API key to use this server.",
                extensions={"code": "UNAUTHENTICATED"},
            )
        return None
    action = field_action(type_name, field_name)
    if action is None:
        return GraphQLError(
            f"{type_name}.{field_name} has no permission rule; refused.",
            extensions={"code": "FORBIDDEN"},
        )
    if principal is None:
        if action is Action.PUBLIC:
            return None
        return GraphQLError(
            (f"{problem} " if problem else "")
            + "Log in or send an API key (header `Authorization: Bearer <key>`) to use "
            "this server.",
            extensions={"code": "UNAUTHENTICATED"},
        )
    if not allowed(principal.role, action):
        return GraphQLError(
            f"Your role ({principal.role}) may not use {field_name} (needs {action.value}).",
            extensions={"code": "FORBIDDEN"},
        )
    return None


def make_authorization_rule(
    principal: Principal | None, problem: str | None = None
) -> type[ValidationRule]:
    class AuthorizationRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            type_name = _ROOT_NAMES[node.operation]
            root = self.context.schema.get_root_type(node.operation)
            known = root.fields if root is not None else {}
            for field in _root_fields(node.selection_set, self.fragments):
                if field.name.value not in known and not field.name.value.startswith("__"):
                    continue  # graphql's own validation reports unknown fields
                error = refusal(principal, type_name, field.name.value, problem)
                if error is not None:
                    self.report_error(
                        GraphQLError(error.message, field, extensions=error.extensions)
                    )
                    return

    return AuthorizationRule


class Authorization(SchemaExtension):
    """Adds the authorization rule, bound to `info.context.principal`, to every operation."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        principal = getattr(context.context, "principal", None)
        extra = getattr(context.context, "extra", None)
        problem = extra.get("auth_problem") if isinstance(extra, dict) else None
        context.validation_rules = (
            *context.validation_rules,
            make_authorization_rule(
                principal if isinstance(principal, Principal) else None, problem
            ),
        )
        yield


__all__ = ["Authorization", "make_authorization_rule", "refusal"]
