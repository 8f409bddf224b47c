"""Job specs for running flow runs as Kubernetes Jobs.

This release writes the manifest only: `kubernetes_job(...)` returns a `batch/v1` Job for
one flow run, to apply with `kubectl apply -f -` or a Kubernetes client. The image must
have Proctor and the flow's code (or access to its storage) installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proctor.agent.launchers.base import run_command


def kubernetes_job(
    flow_run_id: str,
    env: Mapping[str, str],
    *,
    image: str,
    namespace: str = "default",
    service_account: str | None = None,
    resources: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A Job that runs `python -m proctor execute flow-run ID` once (no pod restarts:
    the server re-queues a run whose process died)."""
    container: dict[str, Any] = {
        "name": "flow-run",
        "image": image,
        "command": run_command(flow_run_id),
        "env": [{"name": name, "value": value} for name, value in sorted(env.items())],
    }
    if resources:
        container["resources"] = dict(resources)
    pod: dict[str, Any] = {"restartPolicy": "Never", "containers": [container]}
    if service_account:
        pod["serviceAccountName"] = service_account
    labels = {"app.kubernetes.io/name": "proctor-flow-run", "proctor.io/flow-run-id": flow_run_id}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": f"proctor-run-{flow_run_id}",
            "namespace": namespace,
            "labels": labels,
        },
        "spec": {
            "backoffLimit": 0,
            "ttlSecondsAfterFinished": 3600,
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


__all__ = ["kubernetes_job"]
