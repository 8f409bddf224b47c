"""Fixtures for server tests: real databases, SQLite *and* PostgreSQL.

Use them from any test under tests/server/ (the API tests in tests/server/api/ too):

    async def test_something(database):          # runs twice: [sqlite] and [postgresql]
        project = await create_project(database, DEFAULT_TENANT_ID, "p")

Fixtures
--------
database_url      URL of a fresh, migrated, empty database; parametrised over
                  "sqlite" (a file in tmp_path) and "postgresql". Use it to open several
                  `Database` objects on one database (replicas, concurrent clients).
database          a connected `Database` on `database_url` (disposed afterwards).
sqlite_url / postgres_url, sqlite_database / postgres_database   one dialect only.
run_sync(coro)    (a function) run a coroutine from sync code, even inside a running loop.
tenant_id         the default tenant's id (every fresh database has that tenant).
flow_spec         a factory: `flow_spec(name="etl", mapped=..., parameters=...)` returns the
                  FlowSpec dict of a real engine flow (`flow.serialize()`).
registered_flow   a FlowVersion of project "proj" (from `flow_spec()`), on `database`.
flow_run          a Scheduled FlowRun of `registered_flow`.

PostgreSQL: the server is taken from PROCTOR_TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres). If it is unreachable, a throwaway cluster
is started once per session when PostgreSQL's binaries are installed; otherwise the
postgresql cases are skipped. Each test module gets its own database (copied from a
migrated template); tables are emptied before each test. Select one dialect with
`-k sqlite` or `-k postgresql`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from proctor.server.database import DEFAULT_TENANT_ID, Database
from proctor.server.database.models import metadata
from proctor.server.services.flow_runs import create_flow_run
from proctor.server.services.flows import register_flow
from proctor.server.services.plumbing import records

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
_PREFIX = f"proctor_test_{os.getpid()}_"

# Emptying the tables between tests: DELETE (children first) is ~50x faster than
# TRUNCATE on small tables; the default tenant row stays.
_EMPTY = "; ".join(
    f'DELETE FROM "{table.name}"'
    for table in reversed(metadata.sorted_tables)
    if table.name != "tenant"
)


def run_sync(coroutine: Any) -> Any:
    """Run a coroutine to completion on a private loop in a helper thread.

    Fixtures of any scope can call it, even while a test's event loop is running (the
    session/module fixtures below may be first requested from inside an async fixture),
    and it never touches the main thread's event-loop state.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- PostgreSQL server -------------------------------------------------------------------


async def _reachable(url: str) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _throwaway_cluster() -> Iterator[str | None]:
    """initdb + pg_ctl start in a temp dir (as user postgres when we are root)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        yield None
        return
    bindir = Path(binaries[-1]).parent
    datadir = tempfile.mkdtemp(prefix="proctor-pg-")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = [*as_postgres, str(bindir / "pg_ctl"), "-D", datadir]
    subprocess.run(
        [
            *as_postgres,
            str(bindir / "initdb"),
            "-D",
            datadir,
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*run, "-l", f"{datadir}/log", "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run, "-m", "fast", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(datadir, ignore_errors=True)


def _with_database(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


async def _admin(admin_url: str, *statements: str) -> None:
    connection = await asyncpg.connect(admin_url, timeout=10)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    database = Database(url, listen=False)
    try:
        await database.upgrade()
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of the maintenance database of a reachable PostgreSQL server (or skip)."""
    url = os.environ.get("PROCTOR_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL)
    if run_sync(_reachable(url)):
        yield url
        return
    with _throwaway_cluster() as throwaway:
        if throwaway is None:
            problem = f"PostgreSQL is not reachable at {url} and not installed"
            if os.environ.get("CI"):
                pytest.fail(f"server tests must run on PostgreSQL in CI: {problem}")
            pytest.skip(problem)
        yield throwaway


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """Name of a database migrated to head, copied for each test module."""
    name = f"{_PREFIX}template"
    run_sync(
        _admin(postgres_admin_url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    )
    run_sync(_migrate(_with_database(postgres_admin_url, name)))
    yield name
    run_sync(_admin(postgres_admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="module")
def postgres_module_url(postgres_admin_url: str, postgres_template: str) -> Iterator[str]:
    """A migrated database of this test module's own."""
    name = f"{_PREFIX}{uuid.uuid4().hex[:10]}"
    run_sync(_admin(postgres_admin_url, f"CREATE DATABASE {name} TEMPLATE {postgres_template}"))
    yield _with_database(postgres_admin_url, name)
    run_sync(_admin(postgres_admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _empty_postgres(url: str) -> None:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        async with connection.transaction():
            await connection.execute(_EMPTY)
            await connection.execute("DELETE FROM tenant WHERE id <> $1", DEFAULT_TENANT_ID)
    finally:
        await connection.close()


# -- SQLite ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    run_sync(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


def _fresh_sqlite(template: Path, directory: Path) -> str:
    path = directory / "proctor.db"
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


# -- the fixtures tests use --------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty database on each dialect."""
    if request.param == "sqlite":
        return _fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
    url: str = request.getfixturevalue("postgres_module_url")
    run_sync(_empty_postgres(url))
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes URLs of new, empty (not migrated) databases on each dialect."""
    created: list[str] = []

    def make() -> str:
        if request.param == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path / f'new-{uuid.uuid4().hex[:8]}.db'}"
        admin_url: str = request.getfixturevalue("postgres_admin_url")
        name = f"{_PREFIX}{uuid.uuid4().hex[:10]}"
        run_sync(_admin(admin_url, f"CREATE DATABASE {name}"))
        created.append(name)
        return _with_database(admin_url, name).replace("postgresql://", "postgresql+asyncpg://")

    yield make
    if created:
        admin_url = request.getfixturevalue("postgres_admin_url")
        drops = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in created]
        run_sync(_admin(admin_url, *drops))


@contextlib.asynccontextmanager
async def connected(url: str) -> AsyncIterator[Database]:
    database = Database(url)
    await database.connect()
    try:
        yield database
    finally:
        await database.dispose()


@contextlib.asynccontextmanager
async def replicas(url: str, count: int) -> AsyncIterator[list[Database]]:
    """`count` databases on `url`, each with a pool of its own, as separate server
    replicas would have: what they do at once races for real in the database."""
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(connected(url)) for _ in range(count)]


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    async with connected(database_url) as db:
        yield db


@pytest.fixture
async def sqlite_database(sqlite_url: str) -> AsyncIterator[Database]:
    async with connected(sqlite_url) as db:
        yield db


@pytest.fixture
def postgres_url(postgres_module_url: str) -> str:
    """Like `database_url`, PostgreSQL only."""
    run_sync(_empty_postgres(postgres_module_url))
    return postgres_module_url.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Like `database_url`, SQLite only."""
    return _fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
async def postgres_database(postgres_url: str) -> AsyncIterator[Database]:
    async with connected(postgres_url) as db:
        yield db


@pytest.fixture
def tenant_id() -> uuid.UUID:
    return DEFAULT_TENANT_ID


# -- domain objects ----------------------------------------------------------------------


def _build_spec(
    name: str = "etl", *, mapped: bool = True, parameters: bool = True, labels: tuple[str, ...] = ()
) -> dict[str, Any]:
    from proctor import Flow, Parameter, task

    @task
    def inc(x: int) -> int:
        return x + 1

    @task
    def total(values: list[int]) -> int:
        return sum(values)

    with Flow(name, labels=labels) as flow:
        if parameters:
            n = Parameter("n", default=3, type=int)
            Parameter("who", type=str)
            inc_task = inc.map([1, 2, 3]) if mapped else inc(n)
        else:
            inc_task = inc.map([1, 2, 3]) if mapped else inc(1)
        total(inc_task)
    return dict(flow.serialize())


@pytest.fixture
def flow_spec() -> Callable[..., dict[str, Any]]:
    """Factory of FlowSpec dicts made by the real engine (see `_build_spec`)."""
    return _build_spec


@pytest.fixture
async def registered_flow(
    database: Database, flow_spec: Callable[..., dict[str, Any]]
) -> records.FlowVersion:
    result = await register_flow(
        database, DEFAULT_TENANT_ID, "proj", flow_spec(), create_project=True
    )
    return result.flow


@pytest.fixture
async def flow_run(database: Database, registered_flow: records.FlowVersion) -> records.FlowRun:
    return await create_flow_run(
        database, DEFAULT_TENANT_ID, flow_id=registered_flow.id, parameters={"who": "me"}
    )


# -- talking to an `app` in process (each test directory defines its own `app`) ----------

Gql = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the directory's `app` through ASGI (no socket)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://proctor.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> Gql:
    """`await gql(query, variables)` -> the response JSON (asserts HTTP 200)."""

    async def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return run
