"""`proctor secrets set|ls|rm` (the team's secrets on the server) and
`proctor server secrets rotate-key` (re-seal every secret with a new key).

`set` reads the value from stdin (or `--value-file`), never from the command line, where
it would land in the shell's history and the process list.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.output import fail
from proctor.cli.remote import (
    ApiUrlOption,
    JsonOption,
    api_call,
    make_client,
    print_json,
    print_table,
    when,
)

secrets_app = typer.Typer(
    name="secrets",
    help="Set, list and delete the team's secrets (values are write-only).",
    no_args_is_help=True,
)
server_secrets_app = typer.Typer(
    name="secrets", help="Manage the key secrets are encrypted with.", no_args_is_help=True
)

NameArgument = Annotated[str, typer.Argument(help="The secret's name (letters, digits, _).")]


def _check_name(name: str) -> str:
    from proctor.core.secrets import SecretError, check_secret_name

    try:
        return check_secret_name(name)
    except SecretError as error:
        fail(str(error))


def _read_value(value_file: Path | None) -> str:
    if value_file is not None:
        try:
            text = value_file.read_text(encoding="utf-8")
        except OSError as error:
            fail(f"cannot read {value_file}: {error.strerror or error}")
    else:
        if sys.stdin.isatty():
            sys.stderr.write("Value (end with Ctrl-D): ")
            sys.stderr.flush()
        text = sys.stdin.read()
    # A trailing newline comes from `echo` or an editor, not from the secret.
    value = text[:-1] if text.endswith("\n") else text
    value = value[:-1] if value.endswith("\r") else value
    if not value:
        fail("the value is empty: pipe it on stdin (`printf %s VALUE | proctor secrets set NAME`)")
    return value


@secrets_app.command("set")
def set_secret(
    name: NameArgument,
    value_file: Annotated[
        Path | None,
        typer.Option("--value-file", help="Read the value from this file instead of stdin."),
    ] = None,
    api_url: ApiUrlOption = None,
    json_output: JsonOption = False,
) -> None:
    """Create secret NAME or replace its value, read from stdin (or --value-file)."""
    _check_name(name)
    value = _read_value(value_file)
    with api_call(), make_client(api_url) as client:
        secret = client.set_secret(name, value)
    if json_output:
        print_json(secret)
        return
    typer.echo(f"secret {secret.name} set")


@secrets_app.command("ls")
def list_secrets(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """List the team's secrets: names, when and by whom they were set (never values)."""
    with api_call(), make_client(api_url) as client:
        secrets = client.list_secrets()
    if json_output:
        print_json(secrets)
        return
    print_table(
        None,
        ["NAME", "UPDATED", "BY", "CREATED"],
        [(s.name, when(s.updated), s.updated_by or "-", when(s.created)) for s in secrets],
    )


@secrets_app.command("rm")
def delete_secret(
    name: NameArgument, api_url: ApiUrlOption = None, json_output: JsonOption = False
) -> None:
    """Delete secret NAME (exit code 2 if there is none)."""
    _check_name(name)
    with api_call(), make_client(api_url) as client:
        deleted = client.delete_secret(name)
    if json_output:
        print_json({"name": name, "deleted": deleted})
    if not deleted:
        fail(f"there is no secret {name!r}: see `proctor secrets ls`")
    if not json_output:
        typer.echo(f"secret {name} deleted")


@server_secrets_app.command("rotate-key")
def rotate_key(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL; default: the server's setting.",
            show_default=False,
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Encrypt every secret again with a new key.

    With the key file (PROCTOR_HOME/secrets.key), a new key is added to it, every secret
    is re-encrypted, then the old keys are removed. Interrupted, nothing is lost: run it
    again. With PROCTOR_SERVER_SECRETS_KEY, set the new key there and the old one in
    PROCTOR_SERVER_SECRETS_OLD_KEYS first; this then re-encrypts with the new one.
    Works on the database directly; running servers pick up the new key file at once.
    """
    import asyncio

    from proctor.server.database import Database
    from proctor.settings import get_settings

    settings = get_settings()
    url = database_url or settings.database_url

    async def run() -> object:
        from proctor.server.services.secrets import rotate_key as rotate

        async with Database(url, listen=False) as db:
            await db.upgrade()
            return await rotate(db, settings)

    try:
        rotation = asyncio.run(run())
    except Exception as error:  # a bad key, an unreachable database: one line
        fail(f"key rotation failed: {error}", 1)
    from dataclasses import asdict

    report = asdict(rotation)  # type: ignore[call-overload]
    if json_output:
        print_json(report)
        return
    typer.echo(
        f"{report['resealed']} secret(s) re-encrypted with key {report['new_key_id']}"
        + (f"; retired key(s): {', '.join(report['retired'])}" if report["retired"] else "")
    )


def register(app: typer.Typer) -> None:
    """Add `secrets` and `server secrets` to the CLI."""
    from proctor.cli.server import server_app

    app.add_typer(secrets_app)
    server_app.add_typer(server_secrets_app)


__all__ = ["register"]
