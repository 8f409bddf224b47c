"""Login throttling against a real server process, under concurrent bursts, on both
databases: an attempt is reserved in the database before its password is checked, so a
burst cannot slip past the limits; and the limits are counted per (account, address),
per address and per account, so an attacker's address running out of attempts does not
lock the owner out from another address.

The server runs with the default limits (5 per account and address, 50 per address)
except the per-account limit across addresses, lowered to 12 so a distributed guess can
be shown with a handful of addresses.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.server.auth.live_server import OWNER, OWNER_PASSWORD, auth_server, client_from

from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

ACCOUNT_LIMIT = 12
BURST = 80


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"PROCTOR_SERVER_AUTH_LOGIN_ACCOUNT_ATTEMPTS": str(ACCOUNT_LIMIT)}
    with auth_server(database_url, tmp_path / "home", env) as started:
        yield started


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/login", json={"email": email, "password": password})


async def _burst(client: httpx.AsyncClient, logins: list[tuple[str, str]]) -> list[int]:
    """All `logins` sent at once (each on its own connection); their status codes."""
    responses = await asyncio.gather(*(_login(client, e, p) for e, p in logins))
    return [response.status_code for response in responses]


def _assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"
    assert 0 < int(response.headers["retry-after"]) <= 300
    assert "proctor_session" not in response.cookies


async def test_a_burst_against_one_account_checks_at_most_five_passwords(server: ServerProcess):
    async with client_from(server.url, "127.0.0.1") as attacker:
        statuses = await _burst(attacker, [(OWNER, f"guess {n}") for n in range(BURST)])
        # Exactly the first five reservations are within the limit: five passwords are
        # checked (401), every other attempt is refused before its check (429).
        assert Counter(statuses) == {401: 5, 429: BURST - 5}
        # The right password from the attacker's address is refused while throttled.
        _assert_throttled(await _login(attacker, OWNER, OWNER_PASSWORD))
    # The owner, from another address, is not locked out.
    async with client_from(server.url, "127.0.0.2") as owner:
        logged_in = await _login(owner, OWNER, OWNER_PASSWORD)
        assert logged_in.status_code == 200, logged_in.text
        assert logged_in.json()["user"]["email"] == OWNER


async def test_a_burst_from_one_address_over_many_accounts_checks_at_most_fifty(
    server: ServerProcess,
):
    async with client_from(server.url, "127.0.0.3") as attacker:
        logins = [(f"victim{n}@example.com", "guess") for n in range(BURST)]
        statuses = await _burst(attacker, logins)
        assert Counter(statuses) == {401: 50, 429: BURST - 50}
        # Every account is refused from this address now, the owner's right password too.
        _assert_throttled(await _login(attacker, OWNER, OWNER_PASSWORD))
    async with client_from(server.url, "127.0.0.4") as owner:
        assert (await _login(owner, OWNER, OWNER_PASSWORD)).status_code == 200


async def test_a_guess_spread_over_addresses_is_stopped_by_the_account_limit(
    server: ServerProcess,
):
    addresses = [f"127.0.1.{n}" for n in range(1, 5)]  # 4 addresses x 5 guesses = 20
    clients = [client_from(server.url, address) for address in addresses]
    try:
        bursts = await asyncio.gather(
            *(_burst(c, [(OWNER, f"guess {n}") for n in range(5)]) for c in clients)
        )
    finally:
        for client in clients:
            await client.aclose()
    statuses = Counter(status for burst in bursts for status in burst)
    # Each address stays within its own five, but the account allows 12 checks in all.
    assert statuses == {401: ACCOUNT_LIMIT, 429: 20 - ACCOUNT_LIMIT}
    async with client_from(server.url, "127.0.0.5") as owner:
        # Stopping a distributed guess has this price: the account waits for its window.
        _assert_throttled(await _login(owner, OWNER, OWNER_PASSWORD))


async def test_refused_attempts_count_nothing_and_a_success_gives_its_attempt_back(
    server: ServerProcess,
):
    """Attempts refused with 429 are not counted against the account, so one address
    hammering away cannot use up the account's limit for everyone; a successful login
    is not a failure either."""
    async with client_from(server.url, "127.0.0.6") as attacker:
        statuses = await _burst(attacker, [(OWNER, "guess")] * 40)
        assert Counter(statuses) == {401: 5, 429: 35}
    # 5 of the account's 12 are used: the owner logs in from elsewhere, several times,
    # then makes 5 typos of their own, and still gets in after them from a third address.
    async with client_from(server.url, "127.0.0.7") as owner:
        for _ in range(3):
            assert (await _login(owner, OWNER, OWNER_PASSWORD)).status_code == 200
        for _ in range(5):
            assert (await _login(owner, OWNER, "typo")).status_code == 401
    async with client_from(server.url, "127.0.0.8") as owner:
        assert (await _login(owner, OWNER, OWNER_PASSWORD)).status_code == 200
        # 5 + 5 failures + this one's reservation; two more failures reach the 12.
        assert (await _login(owner, OWNER, "typo")).status_code == 401
        assert (await _login(owner, OWNER, "typo")).status_code == 401
        _assert_throttled(await _login(owner, OWNER, OWNER_PASSWORD))
