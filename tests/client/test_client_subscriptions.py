"""Subscriptions over a real websocket (graphql-transport-ws) on a real server process."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from websockets.asyncio.client import connect

from proctor.client import AsyncClient, FlowRunStateChange, LogRecord, TaskRunStateChange
from proctor.core.states import Running, Success


class GraphQLSocket:
    """A minimal graphql-transport-ws client: init, subscribe, next messages."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    @classmethod
    async def open(cls, url: str) -> GraphQLSocket:
        socket = await connect(
            url.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"]
        )
        await socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        return cls(socket)

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        operation_id = uuid.uuid4().hex
        await self.socket.send(
            json.dumps(
                {
                    "id": operation_id,
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
        )
        return operation_id

    async def next(self, timeout: float = 10.0) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            return dict(message)

    async def close(self) -> None:
        await self.socket.close()


async def test_flow_run_logs_and_feed_subscriptions(api_url, flow_spec_dict):
    async with AsyncClient(api_url) as client:
        project = await client.create_project(f"ws-{uuid.uuid4().hex[:6]}")
        flow = (await client.register_flow(project.name, flow_spec_dict)).flow
        run = await client.create_flow_run(flow.id)
        ws = await GraphQLSocket.open(api_url)
        try:
            live = await ws.subscribe(
                "subscription ($id: ID!) { flowRun(id: $id) { kind"
                " flowRun { state version } taskRuns { taskSlug mapIndex state } } }",
                {"id": run.id},
            )
            snapshot = await ws.next()
            assert snapshot["id"] == live and snapshot["type"] == "next"
            update = snapshot["payload"]["data"]["flowRun"]
            assert update["kind"] == "snapshot" and update["flowRun"]["state"] == "Scheduled"

            logs = await ws.subscribe(
                "subscription ($id: ID!) { logs(flowRunId: $id) { message } }",
                {"id": run.id},
            )
            feed = await ws.subscribe("subscription { runFeed { kind flowRunId state } }")
            await asyncio.sleep(0.3)  # let the server register the subscriptions

            await client.set_flow_run_states(
                [FlowRunStateChange(flow_run_id=run.id, state=Running())]
            )
            await client.set_task_run_states(
                [
                    TaskRunStateChange(
                        flow_run_id=run.id, task_slug="double", map_index=i, state=Success()
                    )
                    for i in range(3)
                ]
            )
            await client.write_logs([LogRecord(flow_run_id=run.id, message="hello, live")])

            got: dict[str, list[dict[str, Any]]] = {live: [], logs: [], feed: []}
            task_states: dict[int, str] = {}
            running = False
            while not (running and len(task_states) == 3 and got[logs] and got[feed]):
                message = await ws.next()
                assert message["type"] == "next", message
                got[message["id"]].append(message["payload"]["data"])
                if message["id"] == live:
                    data = message["payload"]["data"]["flowRun"]
                    running = running or (data["flowRun"] or {}).get("state") == "Running"
                    for task_run in data["taskRuns"]:
                        task_states[task_run["mapIndex"]] = task_run["state"]
            assert task_states == {0: "Success", 1: "Success", 2: "Success"}
            assert got[logs][0]["logs"] == [{"message": "hello, live"}]
            assert any(
                item["runFeed"]
                == {"kind": "flow_run.state", "flowRunId": run.id, "state": "Running"}
                for item in got[feed]
            )

            missing = await ws.subscribe(
                "subscription ($id: ID!) { flowRun(id: $id) { kind } }", {"id": str(uuid.uuid4())}
            )
            error = await ws.next()
            while error["id"] != missing:
                error = await ws.next()
            assert error["type"] == "next"
            assert error["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        finally:
            await ws.close()
