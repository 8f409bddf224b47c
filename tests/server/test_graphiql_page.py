"""`GET /graphql` from a browser: the GraphiQL page built with the UI, or, in an
installation without the built UI, a page saying how to build it; never a page that
loads scripts from another host."""

from __future__ import annotations

import httpx
import pytest

from proctor.server.app import create_app
from proctor.settings import get_settings


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_without_the_built_ui_the_page_says_how_to_build_it(database, tmp_path):
    app = create_app(get_settings(), database=database, ui_dir=tmp_path / "not-built")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
            assert page.status_code == 200
            assert "make ui-build" in page.text
            assert "<script" not in page.text and "https://" not in page.text
            # The endpoint still answers queries.
            query = await http.get("/graphql", params={"query": "{ projects { id } }"})
            assert query.json() == {"data": {"projects": []}}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_built_page_is_served_as_built(database, tmp_path):
    page_file = tmp_path / "dist" / "src" / "graphiql" / "index.html"
    page_file.parent.mkdir(parents=True)
    built = '<!doctype html><script type="module" src="/assets/g.js"></script><div>GraphiQL</div>'
    page_file.write_text(built)
    (tmp_path / "dist" / "index.html").write_text("<!doctype html><div id=root></div>")
    app = create_app(get_settings(), database=database, ui_dir=tmp_path / "dist")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
            assert page.text == built
            assert "https:" not in page.headers["content-security-policy"]
