"""Write the API's schema as SDL to `schema.graphql`, the contract clients are checked
against.

    python -m proctor.server.api.export_schema            # rewrite the committed file
    python -m proctor.server.api.export_schema --check    # exit 1 if it is out of date
    python -m proctor.server.api.export_schema --stdout   # print it instead

The file is committed so a change to the API shows up in review as a diff of the contract,
and the tests compare it with the live schema (tests/server/api/test_schema_contract.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
REGENERATE = "python -m proctor.server.api.export_schema"


def schema_sdl() -> str:
    """The live schema as SDL, exactly as the committed file holds it."""
    from proctor.server.api import build_schema

    # Limits only act at execution time: the schema's types are the same for any limits.
    return build_schema().as_str() + "\n"


def breaking_changes(old_sdl: str, new_sdl: str) -> list[str]:
    """What clients written against `old_sdl` would find broken in `new_sdl`."""
    from graphql import build_schema, find_breaking_changes

    changes = find_breaking_changes(build_schema(old_sdl), build_schema(new_sdl))
    return [f"{change.type.name}: {change.description}" for change in changes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=REGENERATE, description="Write the GraphQL schema (SDL) to schema.graphql."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    mode.add_argument("--stdout", action="store_true", help="print the SDL, write nothing")
    args = parser.parse_args(argv)

    sdl = schema_sdl()
    if args.stdout:
        sys.stdout.write(sdl)
        return 0
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else None
    if args.check:
        if current == sdl:
            return 0
        print(f"{SCHEMA_PATH} is out of date: run `{REGENERATE}`", file=sys.stderr)
        return 1
    if current != sdl:
        for change in breaking_changes(current, sdl) if current is not None else []:
            # Writing the file makes the test against it pass: say what is given up.
            print(f"breaking: {change}", file=sys.stderr)
        SCHEMA_PATH.write_text(sdl, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        print(f"{SCHEMA_PATH} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
