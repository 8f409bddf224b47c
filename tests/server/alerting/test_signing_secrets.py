"""Automation signing secrets are sealed at rest with the secrets keyring: never in clear
in the database (SQLite file bytes, every PostgreSQL row), still signing webhooks after
`rotate-key`, and a clear secret left by an older version is sealed when the server
starts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from tests.server.alerting.helpers import create_automation, fail_run
from tests.server.alerting.receivers import eventually
from tests.server.test_secrets_service import every_row_as_text

from proctor.server.app import create_app
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import Automation
from proctor.server.services import keyring as keys
from proctor.server.services import secrets
from proctor.server.services.alerting import automations, signing
from proctor.server.services.alerting.delivery.http import verify

FAILED = {"type": "flow_run_state", "states": ["Failed"]}
SECRET = "sig-" + uuid.uuid4().hex  # 36 printable characters, unique to this test run


async def stored_text(database: Database, database_url: str) -> bytes:
    """Everything the database holds: the SQLite files' bytes, or every PostgreSQL row."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())
    return (await every_row_as_text(database_url, database)).encode()


async def the_row(database: Database, automation_id: Any) -> Automation:
    async with database.session() as session:
        row = await session.get(Automation, uuid.UUID(str(automation_id)))
    assert row is not None
    return row


async def test_the_secret_is_sealed_and_still_signs_after_a_key_rotation(
    database: Database, database_url: str, settings: Any, app: Any, gql: Any, webhook: Any, flow
):
    created = await create_automation(
        gql,
        name="sealed-hook",
        trigger=FAILED,
        actions=[{"type": "webhook", "url": webhook.url + "/hook"}],
        secret=SECRET,
    )
    assert created["signingSecret"] == SECRET  # the answer that set it shows it, once
    first_key = keys.load_keyring(settings).current_id
    row = await the_row(database, created["id"])
    assert (row.secret, row.secret_key_id) == (None, first_key)
    assert row.secret_sealed is not None and SECRET.encode() not in row.secret_sealed
    stored = await stored_text(database, database_url)
    assert b"sealed-hook" in stored  # the automation is there, so the grep can find things
    assert SECRET.encode() not in stored and SECRET.encode().hex().encode() not in stored

    rotation = await secrets.rotate_key(database, settings)
    assert rotation.resealed >= 1 and rotation.retired == [first_key]
    row = await the_row(database, created["id"])
    assert row.secret_key_id == rotation.new_key_id
    assert first_key not in keys.load_keyring(settings).keys  # no automation needs it

    await fail_run(database, flow.id)
    await eventually(lambda: webhook.to("/hook"), what="the webhook after the rotation")
    [request] = webhook.to("/hook")
    assert verify(SECRET, request.body, request.headers["x-proctor-signature"])
    assert not verify(
        "another-secret-0123456789", request.body, request.headers["x-proctor-signature"]
    )


async def test_rotation_keeps_a_key_an_automation_still_needs(database: Database, settings: Any):
    ring = keys.load_keyring(settings)
    automation = await automations.create_automation(
        database,
        DEFAULT_TENANT_ID,
        name="kept",
        trigger=FAILED,
        actions=[{"type": "webhook", "url": "http://127.0.0.1:9/hook"}],
        keyring=ring,
    )
    assert automation.secret is not None
    assert ring.current_id in await secrets.key_ids_in_use(database)
    # A re-get never carries the secret: only the notifier opens it.
    assert (
        await automations.get_automation(database, DEFAULT_TENANT_ID, automation.id)
    ).secret is None
    # A rotation interrupted before re-sealing: the old key must stay.
    path = keys.key_file_path(settings)
    keys.add_key(path)
    assert keys.drop_unused_keys(path, await secrets.key_ids_in_use(database)) == []
    row = await the_row(database, automation.id)
    assert signing.open_row(keys.load_keyring(settings), row) == automation.secret


async def test_a_clear_secret_from_before_0007_is_sealed_at_start_up(
    database: Database, database_url: str, settings: Any
):
    automation = await automations.create_automation(
        database,
        DEFAULT_TENANT_ID,
        name="legacy",
        trigger=FAILED,
        actions=[{"type": "webhook", "url": "http://127.0.0.1:9/hook"}],
        keyring=keys.load_keyring(settings),
    )
    async with database.transaction() as session:  # what revision 0007 leaves behind
        await session.execute(
            sa.update(Automation)
            .where(Automation.id == automation.id)
            .values(secret=SECRET, secret_sealed=None, secret_key_id=None)
        )
    row = await the_row(database, automation.id)
    assert signing.open_row(keys.load_keyring(settings), row) == SECRET  # usable meanwhile

    application = create_app(settings, database=database, background=False)
    async with application.router.lifespan_context(application):
        row = await the_row(database, automation.id)
        ring = keys.load_keyring(settings)
        assert row.secret is None and row.secret_key_id == ring.current_id
        assert signing.open_row(ring, row) == SECRET
        if database_url.startswith("postgresql"):  # SQLite keeps old page images until VACUUM
            assert SECRET.encode() not in await stored_text(database, database_url)
