"""The blocking `Client` is `AsyncClient` with `async` and `await` taken out, the check
httpcore runs on its generated sync code ("unasync"): same methods, same signatures, same
bodies, so a fix or a new call made in one cannot be forgotten in the other.

The comparison is on syntax trees (formatting and docstrings do not count): each method
of `AsyncClient` is turned into its blocking form (async def -> def, await x -> x, async
with -> with, and the names below) and must equal the method of `Client` of that name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import proctor.client

CLIENT = Path(proctor.client.__file__).parent
# How an asynchronous name is spelled in the blocking client.
RENAMES = {
    "AsyncClient": "Client",
    "AsyncBaseTransport": "BaseTransport",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "aclose": "close",
    "asyncio": "time",  # asyncio.sleep -> time.sleep
}
# Members one client has and the other has not, with why. A name listed here that both
# clients have fails the test: take it off the list.
ONLY_IN_SYNC: dict[str, str] = {}
ONLY_IN_ASYNC: dict[str, str] = {}


class Unasync(ast.NodeTransformer):
    """The blocking form of asynchronous code."""

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        blocking = ast.FunctionDef(
            name=RENAMES.get(node.name, node.name),
            args=node.args,
            body=node.body,
            decorator_list=node.decorator_list,
            returns=node.returns,
            type_comment=node.type_comment,
            type_params=getattr(node, "type_params", []),
        )
        return ast.copy_location(blocking, node)

    def visit_Await(self, node: ast.Await) -> ast.AST:
        call = node.value
        # `await asyncio.to_thread(f, *args)` (blocking I/O kept off the event loop) is
        # `f(*args)` in the blocking client.
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "to_thread"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "asyncio"
        ):
            direct = ast.Call(func=call.args[0], args=call.args[1:], keywords=call.keywords)
            return self.visit(ast.copy_location(direct, node))
        return self.visit(node.value)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.With:
        self.generic_visit(node)
        return ast.copy_location(ast.With(items=node.items, body=node.body), node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> ast.For:
        self.generic_visit(node)
        loop = ast.For(target=node.target, iter=node.iter, body=node.body, orelse=node.orelse)
        return ast.copy_location(loop, node)

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = RENAMES.get(node.id, node.id)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.Attribute:
        self.generic_visit(node)
        node.attr = RENAMES.get(node.attr, node.attr)
        return node


def _without_docstring(function: ast.FunctionDef) -> list[ast.stmt]:
    body = function.body
    first = body[0] if body else None
    docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    return body[1:] if docstring else body


def methods(path: Path, class_name: str, *, unasync: bool) -> dict[str, str]:
    """Each method of `class_name` in `path` as a comparable dump (no docstring)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if unasync:
        tree = ast.fix_missing_locations(Unasync().visit(tree))
    [cls] = [
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name
    ]
    found: dict[str, str] = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            shape = ast.FunctionDef(
                name=node.name,
                args=node.args,
                body=_without_docstring(node),  # type: ignore[arg-type]
                decorator_list=node.decorator_list,
                returns=node.returns,
                type_params=[],
            )
            found[node.name] = ast.dump(shape, annotate_fields=False)
    return found


ASYNC = methods(CLIENT / "_async.py", "AsyncClient", unasync=True)
SYNC = methods(CLIENT / "_sync.py", "Client", unasync=False)


def test_both_clients_offer_the_same_calls() -> None:
    only_async = sorted(set(ASYNC) - set(SYNC) - set(ONLY_IN_ASYNC))
    only_sync = sorted(set(SYNC) - set(ASYNC) - set(ONLY_IN_SYNC))
    assert (only_async, only_sync) == ([], []), (
        "a call exists in one client only: add it to the other (or list it with why)"
    )
    stale = sorted((set(ONLY_IN_SYNC) | set(ONLY_IN_ASYNC)) & set(ASYNC) & set(SYNC))
    assert stale == [], f"listed as one-sided but both clients have them now: {stale}"


@pytest.mark.parametrize("name", sorted(set(ASYNC) & set(SYNC)))
def test_each_blocking_call_is_the_async_one_without_await(name: str) -> None:
    assert SYNC[name] == ASYNC[name], (
        f"Client.{name} differs from AsyncClient.{RENAMES.get(name, name)} beyond async/await:"
        " change both the same way"
    )


def test_the_check_sees_a_difference_in_a_body(tmp_path: Path) -> None:
    """Not vacuous: one changed constant in a copy of the blocking client is reported."""
    changed = tmp_path / "_sync.py"
    source = (CLIENT / "_sync.py").read_text(encoding="utf-8")
    assert "idempotent = reads_only(document)" in source
    changed.write_text(source.replace("idempotent = reads_only(document)", "idempotent = True", 1))
    assert methods(changed, "Client", unasync=False)["query"] != ASYNC["query"]
    assert SYNC["query"] == ASYNC["query"]


def test_the_check_sees_a_forgotten_await_rename() -> None:
    """`asyncio.sleep` must become `time.sleep`, and `__aexit__` `__exit__`: both are
    compared after renaming, so a client that still said asyncio would differ."""
    assert "__exit__" in ASYNC and "__aexit__" not in ASYNC
    assert "close" in ASYNC and "execute" in ASYNC
    assert "sleep" in ASYNC["execute"] and "'time'" in ASYNC["execute"]
