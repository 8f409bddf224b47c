"""A state change as the services hand it to `orchestration.evaluate`, for the tests of
the transition engine that build changes by hand."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass

from proctor.server.orchestration import ProposedState


@dataclass(slots=True)
class Change:
    """A change as the services validate it (`FlowChange`, `TaskChange`)."""

    flow_run_id: uuid.UUID
    slot: Hashable
    state: ProposedState
    version: int | None = None
    force: bool = False
    agent_id: uuid.UUID | None = None
    tags: tuple[str, ...] | None = None
