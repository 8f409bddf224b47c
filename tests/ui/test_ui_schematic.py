"""The schematic stays readable for long chains: every node carries its task's unique
slug (`step`, `step-2`, ...), and at 20, 100 and 1,000 nodes the text is drawn at a
readable size; what does not fit is reached by scrolling, not by shrinking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from uiapi import Api
from uiharness import shot

from proctor import Flow, task

MIN_TEXT_PX = 10.0  # a label's rendered height, at the least

# Per node: its slug, its label's text, and the label's height on screen.
NODES = """() => [...document.querySelectorAll('[data-testid=schematic] [data-slug]')].map((n) => {
  const label = n.querySelector('text.label');
  if (!label) return [n.dataset.slug, null, 0];
  return [n.dataset.slug, label.textContent, label.getBoundingClientRect().height];
})"""


@task
def step(value: int) -> int:
    return value + 1


def chain(length: int) -> Flow:
    with Flow(f"chain-{length}") as flow:
        value = step(0)
        for _ in range(length - 1):
            value = step(value)
    return flow


@pytest.mark.parametrize("length", [20, 100, 1000])
def test_long_chains_stay_readable(page: Any, api: Api, artifacts: Path, length: int) -> None:
    flow = api.register(chain(length), project="schematic")
    page.goto(f"/flows/{flow['id']}")
    schematic = page.get_by_test_id("schematic")
    expect(schematic.locator("[data-slug]")).to_have_count(length, timeout=60_000)
    nodes = page.evaluate(NODES)
    slugs = [slug for slug, _, _ in nodes]
    assert sorted(slugs) == sorted(["step"] + [f"step-{i}" for i in range(2, length + 1)])
    for slug, label, height in nodes:
        assert label == slug, (slug, label)
        assert height >= MIN_TEXT_PX, (slug, height)
    # The zoom buttons still work on top of a readable fit.
    before = page.evaluate(NODES)[0][2]
    page.get_by_role("button", name="Zoom in").click()
    assert page.evaluate(NODES)[0][2] > before
    page.get_by_role("button", name="Fit to view").click()
    # The last step is reached by scrolling, and is then on screen at a readable size.
    last = schematic.locator(f'[data-slug="step-{length}"]')
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    box = last.bounding_box()
    assert box is not None and box["width"] >= 120, box
    if length in (20, 1000):
        shot(page, artifacts, f"schematic-chain-{length}")
