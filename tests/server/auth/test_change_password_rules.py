"""Changing one's password (`changePassword`, docs/security.md), in process. Rules under
test: the current password must be given and right; a wrong or missing one is a mistake
in the form (INVALID_INPUT, a sentence naming that field) and changes nothing."""

from __future__ import annotations

import pytest
from tests.server.auth.helpers import FAST, PASSWORD, new_user

from proctor.server.auth.users import authenticate, change_password
from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.errors import InvalidInput

NEW = "a much longer new passphrase"


@pytest.mark.parametrize("current", ["not the password", None, 12345])
async def test_a_wrong_current_password_changes_nothing(database: Database, current: object):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    with pytest.raises(InvalidInput) as wrong:
        await change_password(database, FAST, user.id, current, NEW)  # type: ignore[arg-type]
    message = wrong.value.message
    # One sentence about the current password (not the new one).
    assert "current password" in message and "new" not in message.lower()
    assert message[0].isupper() and message.endswith(".")
    assert await authenticate(database, FAST, user.email, PASSWORD) == user
    assert await authenticate(database, FAST, user.email, NEW) is None


async def test_the_right_current_password_sets_the_new_one(database: Database):
    user = await new_user(database, DEFAULT_TENANT_ID, "member")
    await change_password(database, FAST, user.id, PASSWORD, NEW)
    assert await authenticate(database, FAST, user.email, NEW) == user
    assert await authenticate(database, FAST, user.email, PASSWORD) is None
