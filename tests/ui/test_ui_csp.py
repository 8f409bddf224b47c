"""The built UI under its Content-Security-Policy: every page loads with no violation
reported, the live views' websocket connects, and the inline theme script still runs."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from uiharness import ServerProcess, new_page

# Collects every violation the browser reports, from the very first script on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_every_page_loads_under_the_policy(browser: Any, server: ServerProcess) -> None:
    context, page, errors = new_page(browser, server.url)
    context.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))

    response = page.goto("/")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    for link, heading in [("Flows", "Flows"), ("Agents", "Agents"), ("Projects", "Projects")]:
        page.get_by_role("link", name=link).first.click()
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        assert page.evaluate("window.__violations") == []
    page.goto("/no/such/page")
    expect(page.get_by_test_id("not-found")).to_be_visible()

    # The inline script that applies a remembered theme before the first paint runs.
    page.evaluate("localStorage.setItem('proctor.theme', 'dark')")
    page.reload()
    expect(page.get_by_test_id("not-found")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.evaluate("localStorage.removeItem('proctor.theme')")

    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], console
    assert any(url.startswith("ws://") for url in sockets), sockets  # live views connected
    context.close()
    assert not errors, errors
