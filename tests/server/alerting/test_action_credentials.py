"""Webhook credentials (URLs, header values) of automations: sealed at rest, masked for
roles that may not edit automations, clear for those that may, and still delivered.

Real server processes (auth mode, keys of each role) on SQLite and PostgreSQL, and a
real HTTP receiver for the deliveries. Expected values are written out here from the
inputs, never computed with the code under test.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.server.alerting.receivers import HttpReceiver
from tests.server.auth.helpers import CHEAP_ARGON2, new_team, new_user, user_key
from tests.server.conftest import connected, run_sync

from proctor.server.database import DEFAULT_TENANT_ID
from proctor.server.database.types import Timestamp
from proctor.testing import ServerProcess

pytestmark = pytest.mark.slow

TOKEN = "Bearer tok-8b1f2e"
TEAM_HEADER = "data-platform"
HOOK_PATH = "/hook/s3cr3t-path?token=q-77aa"
SLACK_PATH = "/services/T0001/B0002/slack-xyz-secret"
SIGNING_SECRET = "signing-secret-0123456789"
SERVER_ENV = {f"PROCTOR_{key.upper()}": value for key, value in CHEAP_ARGON2.items()}

AUTOMATION = """mutation ($input: AutomationInput!) {
  createAutomation(input: $input) { id actions { type url headers } } }"""
READ = "{ automations { id actions { type url headers } } }"


def gql(url: str, query: str, variables: dict[str, Any] | None = None, key: str = "") -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    answer = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=60,
    )
    body = answer.json()
    assert not body.get("errors"), body
    return body["data"]


def actions_input(receiver: HttpReceiver) -> list[dict[str, Any]]:
    return [
        {
            "type": "webhook",
            "url": f"{receiver.url}{HOOK_PATH}",
            "headers": {"Authorization": TOKEN, "X-Team": TEAM_HEADER},
        },
        {"type": "slack", "url": f"{receiver.url}{SLACK_PATH}"},
        {"type": "email", "to": ["oncall@example.com"]},
    ]


def clear_actions(receiver: HttpReceiver) -> list[dict[str, Any]]:
    return [
        {
            "type": "webhook",
            "url": f"{receiver.url}{HOOK_PATH}",
            "headers": {"Authorization": TOKEN, "X-Team": TEAM_HEADER},
        },
        {"type": "slack", "url": f"{receiver.url}{SLACK_PATH}", "headers": None},
        {"type": "email", "url": None, "headers": None},
    ]


def masked_actions(receiver: HttpReceiver) -> list[dict[str, Any]]:
    return [
        {
            "type": "webhook",
            "url": f"http://127.0.0.1:{receiver.port}/****",
            "headers": {"Authorization": "****", "X-Team": "****"},
        },
        {"type": "slack", "url": f"http://127.0.0.1:{receiver.port}/****", "headers": None},
        {"type": "email", "url": None, "headers": None},
    ]


CLEAR_PIECES = (TOKEN, "tok-8b1f2e", TEAM_HEADER, "s3cr3t-path", "q-77aa", "slack-xyz-secret")


async def automation_rows(url: str) -> list[dict[str, Any]]:
    async with connected(url) as db, db.session() as session:
        rows = (await session.execute(sa.text("SELECT * FROM automation"))).mappings().all()
    return [dict(row) for row in rows]


def leaks(value: Any) -> list[str]:
    """The clear pieces found in a stored value (bytes are searched as they are)."""
    if isinstance(value, bytes | memoryview):
        text = bytes(value).decode("latin-1")
    else:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    return [piece for piece in CLEAR_PIECES if piece in text]


@pytest.fixture
def webhook() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def team(database_url: str) -> tuple[uuid.UUID, dict[str, str]]:
    """A team with a key per human role (made in the database, as an owner would)."""

    async def make() -> tuple[uuid.UUID, dict[str, str]]:
        async with connected(database_url) as db:
            tenant = await new_team(db, "alerts")
            keys = {}
            for role in ("owner", "admin", "member", "read_only"):
                user = await new_user(db, tenant, role)
                keys[role] = await user_key(db, tenant, user, role)
            return tenant, keys

    made: tuple[uuid.UUID, dict[str, str]] = run_sync(make())
    return made


@pytest.fixture
def auth_server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        database_url,
        tmp_path / "home",
        env={"PROCTOR_SERVER_AUTH_ENABLED": "true", **SERVER_ENV},
    )
    server.start(timeout=60)
    yield server
    server.stop()


def test_only_editors_see_credentials_and_the_row_holds_none(
    database_url: str,
    team: tuple[uuid.UUID, dict[str, str]],
    auth_server: ServerProcess,
    webhook: HttpReceiver,
):
    _, keys = team
    url = auth_server.url
    trigger = {"type": "flow_run_state", "states": ["Failed"]}
    created = gql(
        url,
        AUTOMATION,
        {
            "input": {
                "name": "page on-call",
                "trigger": trigger,
                "actions": actions_input(webhook),
                "secret": SIGNING_SECRET,
            }
        },
        key=keys["admin"],
    )["createAutomation"]
    assert created["actions"] == clear_actions(webhook)  # the editor's own answer

    for role in ("owner", "admin"):  # may edit automations: clear
        [seen] = gql(url, READ, key=keys[role])["automations"]
        assert seen["actions"] == clear_actions(webhook), role
    for role in ("member", "read_only"):  # may not: masked
        [seen] = gql(url, READ, key=keys[role])["automations"]
        assert seen["actions"] == masked_actions(webhook), role
        one = gql(
            url,
            "query ($id: ID!) { automation(id: $id) { actions { url headers } } }",
            {"id": created["id"]},
            key=keys[role],
        )["automation"]
        assert one["actions"][0]["headers"] == {"Authorization": "****", "X-Team": "****"}

    # At rest: not one clear piece in any column of the row.
    [row] = run_sync(automation_rows(database_url))
    assert row["action_secrets_sealed"] is not None and row["action_secrets_key_id"]
    assert {name: leaks(value) for name, value in row.items() if leaks(value)} == {}
    stored = row["actions"] if isinstance(row["actions"], list) else json.loads(row["actions"])
    assert stored[0]["headers"] == {"Authorization": "****", "X-Team": "****"}
    if database_url.startswith("sqlite"):  # nor anywhere in the database's files
        path = Path(database_url.split("///", 1)[1])
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                assert leaks(file.read_bytes()) == [], file

    # The notifier delivers with the clear values.
    sent = gql(
        url,
        "mutation ($id: ID!) { sendTestNotification(automationId: $id) { actionType status } }",
        {"id": created["id"]},
        key=keys["admin"],
    )["sendTestNotification"]
    assert [(n["actionType"], n["status"]) for n in sent[:2]] == [
        ("webhook", "delivered"),
        ("slack", "delivered"),
    ]
    [hook] = webhook.to(HOOK_PATH)
    assert hook.headers["authorization"] == TOKEN
    assert hook.headers["x-team"] == TEAM_HEADER
    assert len(webhook.to(SLACK_PATH)) == 1


def test_an_update_without_actions_keeps_the_sealed_credentials(
    database_url: str,
    team: tuple[uuid.UUID, dict[str, str]],
    auth_server: ServerProcess,
    webhook: HttpReceiver,
):
    _, keys = team
    url = auth_server.url
    created = gql(
        url,
        AUTOMATION,
        {
            "input": {
                "name": "rename me",
                "trigger": {"type": "flow_run_state", "states": ["Failed"]},
                "actions": actions_input(webhook),
            }
        },
        key=keys["owner"],
    )["createAutomation"]
    renamed = gql(
        url,
        """mutation ($id: ID!) { updateAutomation(id: $id, input: {name: "renamed"}) {
             name actions { type url headers } } }""",
        {"id": created["id"]},
        key=keys["owner"],
    )["updateAutomation"]
    assert renamed == {"name": "renamed", "actions": clear_actions(webhook)}
    [row] = run_sync(automation_rows(database_url))
    assert {name: leaks(value) for name, value in row.items() if leaks(value)} == {}


# -- rows written before revision 0009 ----------------------------------------------------


async def write_pre_0009_automation(url: str, receiver: HttpReceiver) -> uuid.UUID:
    """Migrate a new database to 0008 and insert an automation as the 0008 server did:
    clear actions, clear signing secret."""
    from datetime import UTC, datetime

    async with connected(url) as db:
        await db.upgrade("0008")
        automation_id = uuid.uuid4()
        now = datetime.now(UTC)

        def insert(connection: sa.Connection) -> None:
            # The 0008 table as it is, with the columns whose stored form the app decides.
            table = sa.Table(
                "automation",
                sa.MetaData(),
                sa.Column("id", sa.Uuid(), primary_key=True),
                sa.Column("tenant_id", sa.Uuid()),
                sa.Column("created", Timestamp()),
                sa.Column("updated", Timestamp()),
                autoload_with=connection,
            )
            assert "action_secrets_sealed" not in table.c
            connection.execute(
                table.insert().values(
                    id=automation_id,
                    tenant_id=DEFAULT_TENANT_ID,
                    name="from 0008",
                    trigger={"type": "flow_run_state", "states": ["Failed"]},
                    actions=[
                        {
                            "type": "webhook",
                            "url": f"{receiver.url}{HOOK_PATH}",
                            "headers": {"Authorization": TOKEN, "X-Team": TEAM_HEADER},
                            "message": None,
                        },
                        {"type": "slack", "url": f"{receiver.url}{SLACK_PATH}", "message": None},
                    ],
                    enabled=True,
                    secret=SIGNING_SECRET,
                    created=now,
                    updated=now,
                )
            )
            connection.commit()

        async with db.engine.connect() as connection:
            await connection.run_sync(insert)
    return automation_id


def test_rows_written_before_0009_are_sealed_when_the_server_starts(
    new_database: Any, tmp_path: Path, webhook: HttpReceiver
):
    url = new_database()
    automation_id = run_sync(write_pre_0009_automation(url, webhook))
    [before] = run_sync(automation_rows(url))
    assert leaks(before["actions"])  # the starting point: clear values at rest

    server = ServerProcess(url, tmp_path / "home")  # local mode: the owner
    server.start(timeout=60)
    try:
        [row] = run_sync(automation_rows(url))
        assert row["action_secrets_sealed"] is not None
        assert {name: leaks(value) for name, value in row.items() if leaks(value)} == {}
        [seen] = gql(server.url, READ)["automations"]
        assert seen["actions"] == [
            {
                "type": "webhook",
                "url": f"{webhook.url}{HOOK_PATH}",
                "headers": {"Authorization": TOKEN, "X-Team": TEAM_HEADER},
            },
            {"type": "slack", "url": f"{webhook.url}{SLACK_PATH}", "headers": None},
        ]
        sent = gql(
            server.url,
            "mutation ($id: ID!) { sendTestNotification(automationId: $id) { status } }",
            {"id": str(automation_id)},
        )["sendTestNotification"]
        assert [n["status"] for n in sent] == ["delivered", "delivered"]
        [hook] = webhook.to(HOOK_PATH)
        assert hook.headers["authorization"] == TOKEN
    finally:
        server.stop()


# -- key rotation and the notifier (in-process app with its background services) ---------


async def test_a_key_rotation_reseals_the_credentials_and_alerts_still_carry_them(
    database: Any, settings: Any, app: Any, gql: Any, webhook: HttpReceiver, flow: Any
):
    from tests.server.alerting.helpers import create_automation, fail_run
    from tests.server.alerting.receivers import eventually

    from proctor.server.database.models import Automation
    from proctor.server.services import keyring as keys
    from proctor.server.services import secrets

    created = await create_automation(
        gql,
        name="rotated",
        trigger={"type": "flow_run_state", "states": ["Failed"]},
        actions=[
            {
                "type": "webhook",
                "url": f"{webhook.url}{HOOK_PATH}",
                "headers": {"Authorization": TOKEN},
            }
        ],
    )
    first_key = keys.load_keyring(settings).current_id
    rotation = await secrets.rotate_key(database, settings)
    assert rotation.retired == [first_key]
    async with database.session() as session:
        row = await session.get(Automation, uuid.UUID(created["id"]))
    assert row is not None and row.action_secrets_key_id == rotation.new_key_id
    assert leaks(row.actions) == [] and leaks(row.action_secrets_sealed) == []

    await fail_run(database, flow.id)
    await eventually(lambda: webhook.to(HOOK_PATH), what="the alert after the rotation")
    [hook] = webhook.to(HOOK_PATH)
    assert hook.headers["authorization"] == TOKEN


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T0/B0/xyz", "https://hooks.slack.com/****"),
        ("https://user:pw@alerts.example:8443/in", "https://****@alerts.example:8443/****"),
        ("https://alerts.example/?token=abc", "https://alerts.example/****"),
        ("https://alerts.example/#frag", "https://alerts.example/****"),
        ("http://[::1]:9000/hook", "http://[::1]:9000/****"),
        ("https://alerts.example", "https://alerts.example/"),
        ("https://alerts.example/****", "https://alerts.example/****"),
    ],
)
def test_a_masked_url_keeps_where_it_goes_and_hides_the_rest(url: str, shown: str):
    from proctor.server.services.alerting.action_secrets import mask_url

    assert mask_url(url) == shown
