"""Mutation testing of the permission table itself (not part of CI).

    .venv/bin/python benchmarks/permission_table_mutants.py

mutmut only mutates code inside functions, and `proctor.server.auth.permissions` is
mostly two module-level tables. This script changes them one entry at a time, in this
process, and asks the app (auth mode, SQLite, one key per role) whether the answers
still match the hand-written matrix of the tests (`tests/server/auth/permission_matrix`):

- role mutants: each role taken out of, or added to, each action's set of roles;
- field mutants: each root field moved to each action whose roles differ from its own.

A mutant is *killed* when some answer contradicts the matrix. Only the fields the change
can reach are sent (the fields of the changed action, or the changed field): the others
are checked by the same code with an unchanged table. Queries and mutations go through
HTTP; subscriptions through the schema with the role's principal. Prints one JSON line
per kind of mutant and a total, and lists the survivors.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' matrix and helpers

import httpx  # noqa: E402
from tests.server.auth.helpers import CHEAP_ARGON2, service_key, staffed_team  # noqa: E402
from tests.server.auth.permission_matrix import MATRIX, ROLES  # noqa: E402
from tests.server.auth.test_permission_matrix import (  # noqa: E402
    document,
    refusal_codes,
    verdict,
)
from tests.server.auth.test_permission_walk import error_codes_of, principal_of  # noqa: E402

from proctor.server.app import create_app  # noqa: E402
from proctor.server.auth import permissions  # noqa: E402
from proctor.server.auth.permissions import FIELD_ACTIONS, ROLE_ACTIONS, Action  # noqa: E402
from proctor.server.auth.principal import Principal  # noqa: E402
from proctor.server.database import DEFAULT_TENANT_ID, Database  # noqa: E402
from proctor.settings import temporary_settings  # noqa: E402

# kind, description, the fields the change can reach, the change
Mutant = tuple[str, str, list[str], AbstractContextManager[None]]


@contextmanager
def role_toggled(action: Action, role: str) -> Iterator[None]:
    original = ROLE_ACTIONS[action]
    ROLE_ACTIONS[action] = original ^ {role}
    try:
        yield
    finally:
        ROLE_ACTIONS[action] = original


@contextmanager
def field_moved(field: str, action: Action) -> Iterator[None]:
    original = FIELD_ACTIONS[field]
    FIELD_ACTIONS[field] = action
    try:
        yield
    finally:
        FIELD_ACTIONS[field] = original


def mutants() -> Iterator[Mutant]:
    for action in Action:
        fields = sorted(f for f, a in FIELD_ACTIONS.items() if a is action)
        for role in ROLES:
            verb = "removed from" if role in ROLE_ACTIONS[action] else "added to"
            yield "role", f"{role} {verb} {action.value}", fields, role_toggled(action, role)
    distinct: dict[frozenset[str], Action] = {}
    for action in Action:
        distinct.setdefault(ROLE_ACTIONS[action], action)
    for field, current in sorted(FIELD_ACTIONS.items()):
        for roles, action in distinct.items():
            if roles != ROLE_ACTIONS[current]:
                yield (
                    "field",
                    f"{field} moved to {action.value}",
                    [field],
                    field_moved(field, action),
                )


class Checker:
    def __init__(
        self,
        http: httpx.AsyncClient,
        db: Database,
        keys: dict[str, str | None],
        principals: dict[str, Principal | None],
    ) -> None:
        self.http, self.db, self.keys, self.principals = http, db, keys, principals

    async def refused(self, field: str, role: str) -> list[str]:
        type_name, name = field.split(".")
        if type_name == "Subscription":
            found = await error_codes_of(self.db, type_name, name, self.principals[role])
            return [code for code in found if code in {"FORBIDDEN", "UNAUTHENTICATED"}]
        text, variables = document(field)
        key = self.keys[role]
        headers = {"authorization": f"Bearer {key}"} if key else {}
        response = await self.http.post(
            "/graphql", json={"query": text, "variables": variables}, headers=headers
        )
        return refusal_codes(response.json().get("errors"))

    async def contradictions(self, fields: list[str]) -> list[str]:
        wrong = []
        for field in fields:
            for role in ROLES:
                problem = verdict(field, role, await self.refused(field, role))
                if problem:
                    wrong.append(f"{role}: {problem}")
        return wrong


async def run(directory: Path) -> int:
    url = f"sqlite+aiosqlite:///{directory / 'mutants.db'}"
    with temporary_settings(server_auth_enabled="true", home=str(directory), **CHEAP_ARGON2) as s:
        migrating = Database(url, listen=False)
        await migrating.upgrade()
        await migrating.dispose()
        db = Database(url)
        await db.connect()
        try:
            app = create_app(s, database=db, background=False)
            async with app.router.lifespan_context(app):
                team = await staffed_team(db, "mutants", DEFAULT_TENANT_ID)
                keys: dict[str, str | None] = {"anonymous": None, **team.keys}
                keys["agent"] = await service_key(db, DEFAULT_TENANT_ID)
                principals = {role: await principal_of(db, role) for role in ROLES}
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                    return await judge(Checker(http, db, keys, principals))
        finally:
            await db.dispose()


async def judge(checker: Checker) -> int:
    baseline = await checker.contradictions(sorted(MATRIX))
    if baseline:
        print(
            json.dumps({"error": "the unchanged table contradicts the matrix", "details": baseline})
        )
        return 1
    counts: dict[str, Counter[str]] = {"role": Counter(), "field": Counter()}
    survivors: list[str] = []
    for kind, description, fields, change in mutants():
        with change:
            wrong = await checker.contradictions(fields) if fields else []
        if wrong:
            counts[kind]["killed"] += 1
        else:
            counts[kind]["survived"] += 1
            survivors.append(f"{description}" + ("" if fields else " (no field uses it)"))
    total: Counter[str] = Counter()
    for kind, counted in counts.items():
        total.update(counted)
        print(json.dumps({"mutants": kind, **counted, "score": score(counted)}))
    print(json.dumps({"mutants": "total", **total, "score": score(total)}))
    print(json.dumps({"survived": survivors}))
    return 0


def score(counted: Counter[str]) -> float:
    judged = counted["killed"] + counted["survived"]
    return round(100 * counted["killed"] / judged, 1) if judged else 0.0


def main() -> int:
    assert permissions.FIELD_ACTIONS is FIELD_ACTIONS  # the dicts the app reads
    with tempfile.TemporaryDirectory() as directory:
        return asyncio.run(run(Path(directory)))


if __name__ == "__main__":
    raise SystemExit(main())
