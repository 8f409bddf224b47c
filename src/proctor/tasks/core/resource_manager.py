"""1.x path `prefect.tasks.core.resource_manager`: `resource_manager` and its tasks."""

from proctor.compat.resources import (
    ResourceCleanupTask,
    ResourceContext,
    ResourceInitTask,
    ResourceManager,
    ResourceSetupTask,
    resource_manager,
)

__all__ = [
    "ResourceCleanupTask",
    "ResourceContext",
    "ResourceInitTask",
    "ResourceManager",
    "ResourceSetupTask",
    "resource_manager",
]
