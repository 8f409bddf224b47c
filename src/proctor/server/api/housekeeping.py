# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""Housekeeping in the API: `deletionPreview` (the counts a confirmation shows),
`deleteFlow` (every version, or one), `archiveFlowGroup` / `unarchiveFlowGroup`.
`deleteProject` (with its `force`) stays with the other project fields in `mutations`.
The rules are in `proctor.server.services.housekeeping`."""

from __future__ import annotations

import strawberry

from proctor.server.api.service_call import for_team
from proctor.server.api.types import FlowGroup
from proctor.server.services import housekeeping
from proctor.server.services.housekeeping import DeletionCounts


@strawberry.type(description="What a deletion removes (or removed).")
class DeletionPreview:
    kind: str = strawberry.field(description='"flow" (every version), "version" or "project".')
    name: str = strawberry.field(description="The flow's or the project's name.")
    version: int | None = strawberry.field(description="The version, for kind version.")
    flows: int
    versions: int
    runs: int = strawberry.field(description="Runs deleted with it (every state).")
    runs_in_progress: int = strawberry.field(
        description="Runs Submitted, Running, Paused or Cancelling: the deletion needs "
        "`force` while there are any."
    )

    @classmethod
    def from_counts(cls, counts: DeletionCounts) -> DeletionPreview:
        return cls(
            kind=counts.kind,
            name=counts.name,
            version=counts.version,
            flows=counts.flows,
            versions=counts.versions,
            runs=counts.runs,
            runs_in_progress=counts.runs_in_progress,
        )


@strawberry.type
class HousekeepingQuery:
    @strawberry.field(
        description="What deleting a flow (`flowGroupId`), one version (`flowId`) or a "
        "project (`project`: id or name) would remove; give exactly one."
    )
    async def deletion_preview(
        self,
        info: strawberry.Info,
        flow_group_id: strawberry.ID | None = None,
        flow_id: strawberry.ID | None = None,
        project: str | None = None,
    ) -> DeletionPreview:
        counts = await for_team(
            info,
            housekeeping.preview_deletion,
            flow_group_id=flow_group_id,
            flow_id=flow_id,
            project=project,
        )
        return DeletionPreview.from_counts(counts)


@strawberry.type
class HousekeepingMutation:
    @strawberry.mutation(
        description="Delete a flow with every version (`flowGroupId`) or one version "
        "(`flowId`; the last one takes the flow with it), and their runs. CONFLICT while "
        "runs are in progress unless `force`. Returns what was deleted."
    )
    async def delete_flow(
        self,
        info: strawberry.Info,
        flow_group_id: strawberry.ID | None = None,
        flow_id: strawberry.ID | None = None,
        force: bool = False,
    ) -> DeletionPreview:
        counts = await for_team(
            info, housekeeping.delete, flow_group_id=flow_group_id, flow_id=flow_id, force=force
        )
        return DeletionPreview.from_counts(counts)

    @strawberry.mutation(
        description="Archive a flow: every version archived (hidden from lists, no new "
        "runs), its schedule off; its runs are kept."
    )
    async def archive_flow_group(self, info: strawberry.Info, id: strawberry.ID) -> FlowGroup:
        return FlowGroup.from_record(await for_team(info, housekeeping.set_archived, id, True))

    @strawberry.mutation(
        description="Unarchive a flow: its newest version is active again (the schedule "
        "stays off until turned on)."
    )
    async def unarchive_flow_group(self, info: strawberry.Info, id: strawberry.ID) -> FlowGroup:
        return FlowGroup.from_record(await for_team(info, housekeeping.set_archived, id, False))


__all__ = ["DeletionPreview", "HousekeepingMutation", "HousekeepingQuery"]
