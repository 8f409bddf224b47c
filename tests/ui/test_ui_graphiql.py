"""The GraphQL page works with no network beyond the server: GraphiQL's scripts and
styles are built with the UI and served by the server itself, so a browser that can
reach nothing else loads the page and runs a query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiharness import ServerProcess, shot

QUERY = "{ projects { name } }"


def test_graphiql_loads_from_the_server_alone_and_runs_a_query(
    browser: Any, server: ServerProcess, api: Api, artifacts: Path
) -> None:
    api.gql('mutation { createProject(name: "graphiql-offline") { id } }')
    context = browser.new_context(base_url=server.url, viewport={"width": 1440, "height": 900})
    requested: list[str] = []
    refused: list[str] = []

    def only_the_server(route: Any) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith((server.url + "/", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", only_the_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/graphql")
        editor = page.locator(".graphiql-query-editor .CodeMirror").first
        expect(editor).to_be_visible(timeout=30_000)
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(QUERY)
        page.get_by_role("button", name="Execute query").click()
        result = page.locator(".result-window")
        expect(result).to_contain_text('"name": "graphiql-offline"', timeout=30_000)
        shot(page, artifacts, "graphiql")
    finally:
        context.close()
    assert not errors, errors
    assert not refused, refused
    assert any("/assets/" in url and url.endswith(".js") for url in requested), requested
