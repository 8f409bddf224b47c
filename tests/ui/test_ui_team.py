"""The team pages in a real browser against a server in auth mode: logging in, switching
teams, API keys shown once, secrets never shown back, the audit log, and a read-only
member who sees no control anywhere."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect
from uiauth import ADMIN_EMAIL, AuthApi, add_member, log_in
from uiflows import heartbeat, squares
from uiharness import new_page, shot

from proctor.testing import ServerProcess


def test_login_refuses_a_bad_password_and_logs_in_with_the_right_one(
    auth_page: Any, artifacts: Path
) -> None:
    page = auth_page
    page.goto("/flows")  # a deep link: the login page shows instead, and then the flows
    form = page.get_by_test_id("login-form")
    expect(form).to_be_visible()
    shot(page, artifacts, "login")
    form.get_by_label("Email").fill(ADMIN_EMAIL)
    form.get_by_label("Password").fill("not the password")
    form.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong email or password.")
    expect(form.get_by_label("Password")).to_have_value("")
    shot(page, artifacts, "login-error")

    log_in(page)
    expect(page).to_have_url(re.compile(r"/flows$"))
    expect(page.get_by_role("heading", name="Flows", exact=True)).to_be_visible()
    expect(page.get_by_test_id("my-role")).to_have_text("Owner")
    expect(page.get_by_test_id("live-status")).to_have_attribute("data-status", "live")

    # Logging out ends the session: the next page asks for a login again.
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.goto("/projects")
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_switching_team_reloads_what_the_pages_show(
    auth_page: Any, admin_api: AuthApi, artifacts: Path
) -> None:
    project = f"default-only-{uuid.uuid4().hex[:6]}"
    admin_api.gql("mutation($n: String!) { createProject(name: $n) { id } }", {"n": project})
    team = f"Zeta analytics {uuid.uuid4().hex[:4]}"  # after "Default": login lands there
    admin_api.gql("mutation($n: String!) { createTeam(name: $n) { id } }", {"n": team})

    page = auth_page
    page.goto("/projects")
    log_in(page)
    expect(page.get_by_test_id("projects-table")).to_contain_text(project)
    switcher = page.get_by_test_id("team-switcher")
    expect(switcher).to_contain_text(team)
    switcher.select_option(label=team)
    # The new team has no projects: the page read them again as that team.
    expect(page.get_by_text("No projects yet")).to_be_visible()
    expect(page.get_by_test_id("projects-table")).to_have_count(0)
    page.goto("/team")
    expect(page.get_by_role("heading", name="Team settings")).to_be_visible()
    expect(page.locator(".subtitle")).to_contain_text(team)
    shot(page, artifacts, "team-members")
    # And back: the default team's project is there again.
    page.get_by_test_id("team-switcher").select_option(label="Default")
    page.goto("/projects")
    expect(page.get_by_test_id("projects-table")).to_contain_text(project)


def test_an_api_key_is_shown_once_and_works(
    auth_page: Any, auth_server: ServerProcess, artifacts: Path
) -> None:
    page = auth_page
    page.goto("/team?tab=keys")
    log_in(page)
    card = page.get_by_test_id("new-key")
    card.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("key-error")).to_contain_text("Name the key")

    name = f"laptop-{uuid.uuid4().hex[:6]}"
    card.get_by_label("Key name").fill(name)
    card.get_by_label("Key role").select_option("read_only")
    card.get_by_role("button", name="Create").click()
    value = page.get_by_test_id("one-time-value")
    expect(value).to_have_text(re.compile(r"^pk_\w+_\S+$"))
    key = value.inner_text()
    expect(page.get_by_test_id("copy-value")).to_be_visible()
    shot(page, artifacts, "team-api-key-created")

    # The key works, with the role it was given.
    response = httpx.post(
        f"{auth_server.url}/graphql",
        json={"query": "{ me { role kind } }"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.json()["data"]["me"] == {"role": "read_only", "kind": "api_key"}

    page.get_by_test_id("one-time-done").click()
    row = page.get_by_test_id(f"key-{name}")
    expect(row).to_contain_text("Read-only")
    prefix = key.split("_")[1]
    expect(row).to_contain_text(f"pk_{prefix}_")
    assert key not in page.content()
    page.reload()
    expect(page.get_by_test_id(f"key-{name}")).to_be_visible()
    assert key not in page.content()
    shot(page, artifacts, "team-api-keys")

    # Revoked: the key stops working.
    page.get_by_test_id(f"key-{name}").get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(page.get_by_test_id(f"key-{name}")).to_contain_text("revoked")
    refused = httpx.post(
        f"{auth_server.url}/graphql",
        json={"query": "{ me { role } }"},
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    # A service account for an agent: its key is shown once too.
    page.goto("/team?tab=service-accounts")
    card = page.get_by_test_id("new-key")
    card.get_by_label("Key name").fill(f"agent-{name}")
    card.get_by_role("button", name="Create").click()
    expect(page.get_by_test_id("one-time-value")).to_have_text(re.compile(r"^pk_"))
    page.get_by_test_id("one-time-done").click()
    expect(page.get_by_test_id(f"key-agent-{name}")).to_contain_text("Agent")
    shot(page, artifacts, "team-service-accounts")


def test_a_secret_is_set_and_its_value_never_shown_again(
    auth_page: Any, admin_api: AuthApi, artifacts: Path
) -> None:
    page = auth_page
    page.goto("/secrets")
    log_in(page)
    name = f"WAREHOUSE_TOKEN_{uuid.uuid4().hex[:6].upper()}"
    value = f"s3cr3t-{uuid.uuid4().hex}"
    page.get_by_test_id("new-secret").click()
    form = page.get_by_test_id("secret-form")
    form.get_by_label("Secret name").fill("1bad name")
    form.get_by_label("Secret value").fill(value)
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("secret-error")).to_contain_text("letters, digits and underscores")
    form.get_by_label("Secret name").fill(name)
    expect(form.get_by_label("Secret value")).to_have_attribute("type", "password")
    form.get_by_role("button", name="Save").click()

    row = page.get_by_test_id(f"secret-{name}")
    expect(row).to_contain_text(ADMIN_EMAIL)  # who set it, by name
    expect(page.get_by_test_id("secret-form")).to_have_count(0)
    assert value not in page.content()
    page.reload()
    expect(page.get_by_test_id(f"secret-{name}")).to_be_visible()
    assert value not in page.content()
    # Nor does the API list it: names only.
    listed = admin_api.gql("{ secrets { name } }")["secrets"]
    assert {"name": name} in listed and value not in str(listed)
    shot(page, artifacts, "secrets")

    # Replacing the value asks for a new one (the old one is not filled in).
    row.get_by_role("button", name="Replace value").click()
    expect(page.get_by_test_id("secret-form").get_by_label("Secret value")).to_have_value("")
    page.get_by_test_id("secret-form").get_by_role("button", name="Cancel").click()

    # The audit log has it, filtered by action; never the value.
    page.goto("/audit?action=setSecret")
    table = page.get_by_test_id("audit-table")
    expect(table.locator("tbody tr", has_text=name)).to_have_count(1)
    expect(table.locator("tbody tr", has_text=name)).to_contain_text(ADMIN_EMAIL)
    assert value not in page.content()
    page.get_by_label("Object type").select_option("automation")
    expect(page.get_by_text("Nothing matches these filters")).to_be_visible()
    page.goto("/audit")
    expect(page.get_by_test_id("audit-table").locator("tbody tr").first).to_be_visible()
    shot(page, artifacts, "audit-log")

    page.goto("/secrets")
    page.get_by_test_id(f"secret-{name}").get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id(f"secret-{name}")).to_have_count(0)


def test_a_read_only_member_sees_no_action_buttons(
    browser: Any, auth_server: ServerProcess, admin_api: AuthApi, artifacts: Path
) -> None:
    # Something to look at: flows (one scheduled), a finished run, a secret, an
    # automation and a limit, all made by the owner.
    flow = admin_api.register(squares, project="readonly-demo")
    scheduled = admin_api.register(heartbeat, project="readonly-demo")
    run = admin_api.create_run(flow["id"])
    admin_api.set_run_state(run["id"], "Failed", "boom")
    admin_api.gql('mutation { setSecret(name: "RO_VISIBLE", value: "hidden") { name } }')
    admin_api.gql(
        "mutation($i: AutomationInput!) { createAutomation(input: $i) { id } }",
        {
            "i": {
                "name": f"ro-{uuid.uuid4().hex[:4]}",
                "trigger": {"type": "flow_run_state", "states": ["Failed"]},
                "actions": [{"type": "webhook", "url": "http://127.0.0.1:9/none"}],
            }
        },
    )
    admin_api.gql(
        'mutation { setConcurrencyLimit(kind: "task_tag", key: "ro-db", limit: 2) { id } }'
    )

    # The owner invites a read-only member from the Team page: the link is shown once.
    context, page, errors = new_page(browser, auth_server.url)
    page.goto("/team")
    log_in(page)
    email = f"viewer-{uuid.uuid4().hex[:6]}@example.com"
    invite = page.get_by_test_id("invite")
    invite.get_by_label("Email to invite").fill(email)
    invite.get_by_label("Role of the invited person").select_option("read_only")
    invite.get_by_role("button", name="Invite").click()
    link = page.get_by_test_id("one-time-value").inner_text()
    assert "/accept-invitation?token=" in link
    shot(page, artifacts, "team-invitation")
    context.close()
    assert not errors, errors

    # The invited person opens the link, picks a password and is in, read-only.
    context, page, errors = new_page(browser, auth_server.url)
    page.goto(link.replace(auth_server.url, ""))
    accept = page.get_by_test_id("accept-form")
    accept.get_by_label("Password", exact=True).fill("viewer password 1")
    accept.get_by_label("Password again").fill("viewer password 1")
    accept.get_by_role("button", name="Accept invitation").click()
    expect(page.get_by_test_id("my-role")).to_have_text("Read-only")
    expect(page.get_by_test_id("user-box")).to_contain_text(email)

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)

    page.goto("/flows")
    expect(page.get_by_test_id("flows-table")).to_contain_text("heartbeat")
    expect(page.get_by_test_id("schedule-toggle")).to_have_count(0)
    expect(page.get_by_test_id("quick-run")).to_have_count(0)
    expect(page.get_by_test_id("schedule-state").first).to_be_visible()

    page.goto(f"/flows/{scheduled['id']}")
    expect(page.get_by_test_id("schedule-card")).to_contain_text("Active")
    expect(page.get_by_test_id("schedule-toggle")).to_have_count(0)
    expect(page.get_by_test_id("open-run-form")).to_have_count(0)
    expect(page.get_by_role("tab", name="Run", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("sla-card")).to_contain_text("No SLA")
    expect(page.get_by_test_id("edit-sla")).to_have_count(0)

    page.goto(f"/runs/{run['id']}")
    expect(page.locator(".page-head")).to_contain_text("Failed")
    for control in (
        "cancel-run",
        "restart-run",
        "delete-run",
        "start-now",
        "mark-as",
        "restart-from",
    ):
        expect(page.get_by_test_id(control)).to_have_count(0)
    shot(page, artifacts, "read-only-run")

    page.goto("/projects")
    expect(page.get_by_test_id("projects-table")).to_contain_text("readonly-demo")
    expect(page.get_by_role("button", name="New project")).to_have_count(0)

    page.goto("/secrets")
    expect(page.get_by_test_id("secret-RO_VISIBLE")).to_be_visible()
    expect(page.get_by_test_id("new-secret")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    expect(page.get_by_role("button", name="Replace value")).to_have_count(0)

    page.goto("/automations")
    expect(page.get_by_test_id("automations-table")).to_be_visible()
    expect(page.get_by_test_id("new-automation")).to_have_count(0)
    expect(page.get_by_test_id("send-test")).to_have_count(0)
    expect(page.get_by_test_id("automation-toggle").first).to_be_disabled()
    shot(page, artifacts, "read-only-automations")

    page.goto("/limits")
    expect(page.get_by_test_id("limit-ro-db")).to_be_visible()
    expect(page.get_by_test_id("new-limit")).to_have_count(0)
    expect(page.get_by_role("button", name="Change")).to_have_count(0)

    page.goto("/team")
    expect(page.get_by_test_id(f"member-{email}")).to_contain_text("Read-only")
    expect(page.get_by_test_id("invite")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove")).to_have_count(0)

    # Typing the URL of an admin page shows a clear refusal, not a crash.
    page.goto("/audit")
    expect(page.get_by_test_id("forbidden")).to_contain_text("Not allowed")
    context.close()
    assert not errors, errors


def test_a_member_runs_flows_but_sees_no_admin_actions(
    browser: Any, auth_server: ServerProcess, admin_api: AuthApi
) -> None:
    flow = admin_api.register(heartbeat, project="member-demo")
    email = f"member-{uuid.uuid4().hex[:6]}@example.com"
    add_member(admin_api, email, "member password 1", "member")
    context, page, errors = new_page(browser, auth_server.url)
    page.goto(f"/flows/{flow['id']}")
    log_in(page, email, "member password 1")
    expect(page.get_by_test_id("my-role")).to_have_text("Member")
    # Members start runs and switch schedules...
    expect(page.get_by_test_id("open-run-form")).to_be_visible()
    expect(page.get_by_test_id("schedule-toggle")).to_be_visible()
    # ...but secrets, alerts, limits and the team are for owners and admins.
    expect(page.get_by_test_id("edit-sla")).to_have_count(0)
    for url, control in (
        ("/secrets", "new-secret"),
        ("/automations", "new-automation"),
        ("/limits", "new-limit"),
        ("/team", "invite"),
    ):
        page.goto(url)
        expect(page.locator(".page-head h1")).to_be_visible()
        expect(page.get_by_test_id(control)).to_have_count(0)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log")
    ).to_have_count(0)
    # Their own keys they manage themselves.
    page.goto("/team?tab=keys")
    expect(page.get_by_test_id("new-key")).to_be_visible()
    context.close()
    assert not errors, errors
