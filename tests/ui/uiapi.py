"""Driving a real Proctor server over its GraphQL API, as a flow run would: the UI tests
change states and write logs from here while the browser watches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


def now_iso(offset_seconds: float = 0.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_seconds)).isoformat()


class Api:
    """A tiny GraphQL client bound to one server URL."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def close(self) -> None:
        self.http.close()

    def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"][0]["message"])
        return body["data"]

    def register(self, flow: Any, project: str = "demo") -> dict[str, Any]:
        data = self.gql(
            "mutation($input: RegisterFlowInput!) { registerFlow(input: $input) "
            "{ flow { id flowGroupId name } } }",
            {"input": {"project": project, "spec": flow.serialize(), "createProject": True}},
        )
        return data["registerFlow"]["flow"]

    def create_run(self, flow_id: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.gql(
            "mutation($input: CreateFlowRunInput!) { createFlowRun(input: $input) "
            "{ id name state version } }",
            {"input": {"flowId": flow_id, "parameters": parameters or {}}},
        )
        return data["createFlowRun"]

    def run(self, run_id: str) -> dict[str, Any]:
        return self.gql(
            "query($id: ID!) { flowRun(id: $id) { id name state version parameters } }",
            {"id": run_id},
        )["flowRun"]

    def set_run_state(self, run_id: str, state: str, message: str | None = None) -> None:
        change = {
            "flowRunId": run_id,
            "state": {"type": state, "message": message, "timestamp": now_iso()},
        }
        [result] = self.gql(
            "mutation($c: [JSON!]!) { setFlowRunStates(changes: $c) { accepted reason } }",
            {"c": [change]},
        )["setFlowRunStates"]
        assert result["accepted"], result

    def set_task_states(
        self,
        run_id: str,
        changes: Iterable[tuple[str, int, str]],
        message: str | None = None,
        at: str | None = None,
    ) -> None:
        items = [
            {
                "flowRunId": run_id,
                "taskSlug": slug,
                "mapIndex": index,
                "state": {"type": state, "message": message, "timestamp": at or now_iso()},
            }
            for slug, index, state in changes
        ]
        for start in range(0, len(items), 5000):
            results = self.gql(
                "mutation($c: [JSON!]!) { setTaskRunStates(changes: $c) { accepted reason } }",
                {"c": items[start : start + 5000]},
            )["setTaskRunStates"]
            refused = [r for r in results if not r["accepted"]]
            assert not refused, refused[:3]

    def write_logs(self, run_id: str, lines: Sequence[tuple[Any, ...]]) -> None:
        """Lines as (level, message, task slug[, map index])."""
        items = []
        for level, message, slug, *rest in lines:
            item: dict[str, Any] = {"flowRunId": run_id, "level": level, "message": message}
            if slug is not None:
                item["taskSlug"] = slug
            if rest:
                item["mapIndex"] = rest[0]
            items.append(item)
        for start in range(0, len(items), 10_000):
            self.gql(
                "mutation($l: [JSON!]!) { writeLogs(logs: $l) { count } }",
                {"l": items[start : start + 10_000]},
            )
