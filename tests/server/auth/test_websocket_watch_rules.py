"""The websocket re-check, step by step in process (docs/security.md: an open websocket
re-checks its session or key and is closed with code 4403, "Your access changed:
reconnect.", once they no longer give the same access).

`test_auth_server_process.py` shows it end to end on a real server, whose process cannot
see a mutated copy of the code; here the watch runs against a stand-in socket that records
what is done to it, and a `resolve` that answers from a script, one answer per re-check."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any, cast

import pytest
from starlette.websockets import WebSocket, WebSocketState

from proctor.server.auth.principal import Principal
from proctor.server.auth.websocket_watch import start_watch, watch

ME = Principal(
    tenant_id=uuid.uuid4(),
    role="member",
    kind="session",
    user_id=uuid.uuid4(),
    session_id=uuid.uuid4(),
)


@dataclass
class Socket:
    """What the watch may look at and do: its two states, `close`, and `state`."""

    client_state: WebSocketState = WebSocketState.CONNECTED
    application_state: WebSocketState = WebSocketState.CONNECTED
    closed: list[tuple[int, str]] = field(default_factory=list)
    state: Any = field(default_factory=SimpleNamespace)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed.append((code, reason or ""))
        self.client_state = self.application_state = WebSocketState.DISCONNECTED


class Script:
    """`resolve` answering from a list; an exception in the list is raised."""

    def __init__(self, socket: Socket, answers: list[Any], then: Any = ME) -> None:
        self.socket, self.answers, self.then, self.calls = socket, answers, then, 0

    async def __call__(self) -> Principal | None:
        self.calls += 1
        if self.calls > 50:  # a watch that never stops: end the socket, fail below
            self.socket.client_state = WebSocketState.DISCONNECTED
            return ME
        answer = self.answers[self.calls - 1] if self.calls <= len(self.answers) else self.then
        if isinstance(answer, BaseException):
            raise answer
        return cast(Principal | None, answer)


async def _watch(socket: Socket, resolve: Script) -> None:
    await asyncio.wait_for(watch(cast(WebSocket, socket), ME, resolve, 0), timeout=60)


@pytest.mark.parametrize(
    "changed",
    [
        None,  # logged out, key revoked or expired: no principal any more
        replace(ME, role="read_only"),
        replace(ME, tenant_id=uuid.uuid4()),
        replace(ME, session_id=uuid.uuid4()),
        replace(ME, kind="api_key", session_id=None, api_key_id=uuid.uuid4()),
    ],
)
async def test_changed_access_closes_the_socket_with_4403(changed: Principal | None):
    socket = Socket()
    resolve = Script(socket, [ME, ME, changed])
    await _watch(socket, resolve)
    assert socket.closed == [(4403, "Your access changed: reconnect.")]
    assert resolve.calls == 3  # kept open while the access stayed the same


async def test_an_equal_principal_keeps_the_socket_open():
    socket = Socket()
    # Equal, not the same object: each re-check resolves the credentials afresh.
    resolve = Script(socket, [replace(ME)] * 3, then=None)
    await _watch(socket, resolve)
    assert resolve.calls == 4 and socket.closed == [(4403, "Your access changed: reconnect.")]


async def test_a_failing_re_check_keeps_the_socket_and_checks_again(
    caplog: pytest.LogCaptureFixture,
):
    socket = Socket()
    away = OSError("database away")
    resolve = Script(socket, [away, RuntimeError("still away"), None])
    with caplog.at_level(logging.WARNING, logger="proctor.server.auth.websocket_watch"):
        await _watch(socket, resolve)
    assert resolve.calls == 3
    assert socket.closed == [(4403, "Your access changed: reconnect.")]
    # Each failure is logged for the operator, with the error that caused it.
    warnings = [r for r in caplog.records if r.name == "proctor.server.auth.websocket_watch"]
    assert [r.levelno for r in warnings] == [logging.WARNING, logging.WARNING]
    assert "websocket" in warnings[0].getMessage().lower()
    assert warnings[0].exc_info is not None and warnings[0].exc_info[1] is away


@pytest.mark.parametrize("side", ["client_state", "application_state"])
async def test_a_socket_closed_by_either_side_ends_the_watch_without_a_check(side: str):
    socket = Socket()
    setattr(socket, side, WebSocketState.DISCONNECTED)
    resolve = Script(socket, [None])
    await _watch(socket, resolve)
    assert resolve.calls == 0 and socket.closed == []


async def test_a_socket_closed_while_re_checking_is_not_closed_again():
    socket = Socket()

    async def resolve_then_disconnect() -> Principal | None:
        socket.client_state = WebSocketState.DISCONNECTED
        return None

    await asyncio.wait_for(
        watch(cast(WebSocket, socket), ME, resolve_then_disconnect, 0), timeout=60
    )
    assert socket.closed == []


async def test_the_started_watch_lives_on_the_connection():
    socket = Socket()
    resolve = Script(socket, [ME, None])
    task = start_watch(cast(WebSocket, socket), ME, resolve, 0)
    assert socket.state.proctor_watch is task
    await asyncio.wait_for(task, timeout=60)
    assert resolve.calls == 2  # the first re-check still gave the principal it started with
    assert socket.closed == [(4403, "Your access changed: reconnect.")]
