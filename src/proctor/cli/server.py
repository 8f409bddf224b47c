"""`proctor server start`, `proctor server create-admin` and
`proctor server database upgrade|downgrade|reset`.

`start` serves the API and the UI on one port with uvicorn and prints the URL once the app
is ready (database connected and migrated), so scripts and tests can wait for that line.
`--port 0` picks a free port; the printed URL has the real one. `start`'s options are
applied as `PROCTOR_SERVER_*` variables of the server process (so the app, and anything it
starts, sees one consistent settings object); the database commands take the URL as is.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from proctor.cli.output import EXIT_USER_ERROR, fail, print_error

EXIT_SERVER_FAILED = 1  # as when the server cannot start for any other reason

server_app = typer.Typer(
    name="server", help="Run the Proctor server and manage its database.", no_args_is_help=True
)
database_app = typer.Typer(
    name="database", help="Migrate or reset the server's database.", no_args_is_help=True
)
server_app.add_typer(database_app)

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (sqlite+aiosqlite:///path or postgresql+asyncpg://...); "
        "default: SQLite in PROCTOR_HOME.",
        show_default=False,
    ),
]


def _apply(**variables: object) -> None:
    for name, value in variables.items():
        if value is not None:
            os.environ[name] = str(value)


@server_app.command("start")
def start(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on.", show_default="127.0.0.1")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", min=0, max=65535, help="Port (0: any free port).", show_default="4200"
        ),
    ] = None,
    database_url: DatabaseUrlOption = None,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Do not open the UI in a browser.")
    ] = False,
    log_level: Annotated[
        str, typer.Option("--log-level", help="uvicorn log level (debug, info, warning).")
    ] = "warning",
    auth: Annotated[
        bool,
        typer.Option(
            "--auth",
            help="Auth mode: every request needs a login or an API key (required to listen "
            "on a non-loopback address; same as PROCTOR_SERVER_AUTH_ENABLED=true).",
        ),
    ] = False,
) -> None:
    """Serve the GraphQL API, the UI, /health and /metrics on one port."""
    _apply(
        PROCTOR_SERVER_HOST=host,
        PROCTOR_SERVER_PORT=port,
        PROCTOR_SERVER_DATABASE_URL=database_url,
        PROCTOR_SERVER_AUTH_ENABLED="true" if auth else None,
    )
    from proctor.cli.serve import port_in_use, serve
    from proctor.server.auth.binding import bind_refusal
    from proctor.settings import get_settings

    configured = get_settings().server
    refusal = bind_refusal(configured.host, configured.auth.enabled)
    if refusal is not None:
        fail(refusal, EXIT_USER_ERROR)
    if port_in_use(configured.host, configured.port):
        other = configured.port + 1 if configured.port < 65535 else configured.port - 1
        fail(
            f"Port {configured.port} on {configured.host} is already in use (another "
            f"Proctor server?). Choose another port: proctor server start --port {other}, "
            f"or PROCTOR_SERVER_PORT={other} make run (the CLI on this machine follows).",
            EXIT_SERVER_FAILED,
        )

    try:
        code = serve(open_browser=not no_open and sys.stdout.isatty(), log_level=log_level)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)


def _run_database(action: str, revision: str | None, database_url: str | None) -> None:
    import asyncio

    from proctor.server.database import Database
    from proctor.settings import get_settings

    settings = get_settings()
    url = database_url or settings.database_url

    async def run() -> str | None:
        settings.home.mkdir(parents=True, exist_ok=True)
        async with Database(url, listen=False) as db:
            if action == "upgrade":
                await db.upgrade(revision or "head")
            elif action == "downgrade":
                assert revision is not None
                await db.downgrade(revision)
            else:
                await db.reset()
            return await db.revision()

    try:
        current = asyncio.run(run())
    except Exception as error:  # the database refused: one line, not a traceback
        print_error(f"database {action} failed: {error}")
        raise typer.Exit(1) from None
    from proctor.server.web.startup import safe_url

    typer.echo(f"database {safe_url(url)} is at revision {current or 'base'}")


@database_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseUrlOption = None,
) -> None:
    """Apply migrations up to REVISION (the server also does this when it starts)."""
    _run_database("upgrade", revision, database_url)


@database_app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base' removes every table).")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Revert migrations down to REVISION."""
    _run_database("downgrade", revision, database_url)


@database_app.command("reset")
def reset(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Drop every table and recreate the schema: ALL DATA IS LOST."""
    if not yes:
        if not sys.stdin.isatty():
            fail("reset deletes all data: pass --yes to confirm", EXIT_USER_ERROR)
        typer.confirm("Delete ALL data in the Proctor database?", abort=True)
    _run_database("reset", None, database_url)


@server_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option("--email", help="The owner's email (their login).")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from stdin (for scripts)."),
    ] = False,
    database_url: DatabaseUrlOption = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the new user as one JSON document.")
    ] = False,
) -> None:
    """Create a user who owns the default team (the first login of a new server).

    Works on the database directly (no running server needed), migrating it first.
    Without --password-stdin the password is asked for twice on the terminal.
    """
    import asyncio
    import json

    password = _read_password(password_stdin)
    from proctor.server.auth.passwords import Passwords
    from proctor.server.auth.users import create_admin as create_owner
    from proctor.server.database import Database
    from proctor.server.errors import ProctorServerError
    from proctor.settings import get_settings

    settings = get_settings()
    url = database_url or settings.database_url

    async def run() -> object:
        settings.home.mkdir(parents=True, exist_ok=True)
        async with Database(url, listen=False) as db:
            await db.upgrade()
            return await create_owner(
                db, Passwords.from_settings(settings.server.auth), email, password
            )

    try:
        user: Any = asyncio.run(run())
    except ProctorServerError as error:
        fail(f"{error.message}", EXIT_USER_ERROR)
    except Exception as error:  # the database refused: one line, not a traceback
        print_error(f"create-admin failed: {error}")
        raise typer.Exit(1) from None
    if json_output:
        typer.echo(json.dumps({"id": str(user.id), "email": user.email, "role": "owner"}))
    else:
        typer.echo(
            f"Created {user.email}, owner of the default team. Start the server with --auth "
            "and log in at its URL."
        )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail('no password on stdin: pipe it in, e.g. `printf %s "$PW" | ...`')
        return password
    if not sys.stdin.isatty():
        fail("no terminal to ask for a password: pass --password-stdin and pipe it in")
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return str(password)


def register(app: typer.Typer) -> None:
    """Add `server` (and `server database`) to the CLI."""
    app.add_typer(server_app)


__all__ = ["register"]
