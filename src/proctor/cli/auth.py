"""`proctor login --key`, `proctor logout`, `proctor whoami`: the CLI's identity.

`login` checks the key against the server before saving it (with the server URL) in the
profile file `PROCTOR_HOME/profile.json` (mode 0600); every client, the CLI and agents
then use it for that server when `PROCTOR_API_KEY` is not set.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from proctor.cli.output import EXIT_USER_ERROR, fail
from proctor.cli.remote import ApiUrlOption, JsonOption, api_call, print_fields, print_json

ME = """
query Me {
  me {
    authEnabled kind role
    user { id email name }
    currentTeam { id name role }
    teams { id name role }
    apiKey { id name serviceAccount }
  }
}
"""


def _who(api_url: str | None, api_key: str | None) -> tuple[str, dict[str, Any] | None]:
    from proctor.client import Client

    with Client(api_url, api_key=api_key) as client, api_call():
        data = client.query(ME)
        return client.config.api_url, data.get("me")


def login(
    key: Annotated[
        str,
        typer.Option(
            "--key",
            help="The API key (pk_...), or - to read it from stdin (keeps it out of the "
            "process list and shell history).",
        ),
    ],
    api_url: ApiUrlOption = None,
) -> None:
    """Check an API key against the server and save it for the CLI, clients and agents."""
    from proctor.settings import get_settings
    from proctor.settings.profile import Profile, save_profile

    if key == "-":
        key = sys.stdin.readline().strip()
    if not key:
        fail("no API key given: pass --key pk_... (or --key - and pipe it in)")
    url, me = _who(api_url, key)
    if me is None:
        fail(f"the server at {url} did not accept the key: check it, or create one in the UI")
    if not me.get("authEnabled"):
        fail(f"the server at {url} runs in local mode (no auth): it needs no key")
    path = save_profile(get_settings().home, Profile(api_url=url, api_key=key))
    typer.echo(f"Logged in to {url} as {_describe(me)}; key saved in {path}")


def logout() -> None:
    """Forget the saved API key (it still works until it is revoked on the server)."""
    from proctor.settings import get_settings
    from proctor.settings.profile import delete_profile, profile_path

    home = get_settings().home
    if delete_profile(home):
        typer.echo(f"Removed {profile_path(home)}. Revoke the key in the UI if it leaked.")
    else:
        typer.echo("Not logged in: there is no saved key.")


def whoami(api_url: ApiUrlOption = None, json_output: JsonOption = False) -> None:
    """Show who the server thinks you are: user or service account, team and role."""
    url, me = _who(api_url, None)
    if me is None:
        if json_output:
            print_json({"server": url, "me": None})
            raise typer.Exit(EXIT_USER_ERROR)
        fail(f"not logged in to {url}: run `proctor login --key pk_...` or set PROCTOR_API_KEY")
    if json_output:
        print_json({"server": url, "me": me})
        return
    team = me["currentTeam"]
    print_fields(
        [
            ("server", url),
            ("as", _describe(me)),
            ("team", f"{team['name']} ({team['id']})"),
            ("role", me["role"]),
            ("auth", "on" if me["authEnabled"] else "off (local mode)"),
        ]
    )


def _describe(me: dict[str, Any]) -> str:
    if me.get("user"):
        return str(me["user"]["email"])
    key = me.get("apiKey")
    if key and key.get("serviceAccount"):
        return f"service account {key.get('name')}"
    return "the local owner" if me.get("kind") == "local" else str(me.get("kind"))


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)


__all__ = ["register"]
