"""`DaskExecutor`: runs task runs on a Dask cluster (an existing one, or a temporary one).

Task runs travel in chunks, as with `ProcessExecutor` and through the same worker function
(`proctor.core.executors.process.run_chunk`), pickled with cloudpickle: Dask spends a few
milliseconds per submitted future, so 10,000 mapped children submitted one by one would
cost tens of seconds of overhead alone, while a few dozen chunks cost almost nothing.

`distributed` is imported inside the methods, never at module import: importing it takes
about a second and `import proctor` must stay fast for flows that never use Dask. Workers
must be able to import `proctor` (and cloudpickle) themselves.
"""

from __future__ import annotations

import functools
import importlib
import queue
import uuid
from typing import TYPE_CHECKING, Any, TypeAlias

from proctor.core.errors import ExecutorError
from proctor.core.executors.base import Completed, Executor
from proctor.core.executors.process import (
    decode_results,
    encode_chunk,
    fail_all,
    fail_or_retry,
    run_chunk,
    run_here,
    split_batch,
)

if TYPE_CHECKING:
    from proctor.core.context import FlowRunContext
    from proctor.core.executors.base import StartCallback
    from proctor.core.runner.unit import TaskRunUnit

# What Dask's callback thread hands to `completed()`: a finished chunk and its future, or
# the outcomes of task runs that could not be sent.
# Dask objects are typed `Any` here: distributed's functions are mostly unannotated, and
# importing it for annotations would defeat importing it lazily.
_Future: TypeAlias = Any
_Item: TypeAlias = "tuple[list[TaskRunUnit], _Future] | Completed"

# A small, quiet local cluster: two single-threaded worker processes (tasks are often
# CPU-bound Python, which threads would serialize), and no dashboard, which would need
# bokeh and a free port.
LOCAL_CLUSTER_DEFAULTS: dict[str, Any] = {
    "n_workers": 2,
    "threads_per_worker": 1,
    "processes": True,
    "dashboard_address": None,
}


class DaskExecutor(Executor):
    """Run task runs on Dask workers.

    address: a running scheduler (`"tcp://host:8786"`) to connect to. It is left running
        at the end of the flow run; only the client is closed.
    cluster_class: without `address`, the cluster to start for this flow run and close
        after it: a class, or its import path (`"dask_jobqueue.SLURMCluster"`); default
        `distributed.LocalCluster`.
    cluster_kwargs: arguments for `cluster_class`. For a `LocalCluster` (or a subclass)
        they are merged over `LOCAL_CLUSTER_DEFAULTS`; other classes get them as given.
    client_kwargs: arguments for `distributed.Client`; `set_as_default` defaults to False
        so the flow's client does not become the process's default Dask scheduler.
    chunk_size: task runs per submitted chunk; default about four chunks per worker
        thread (at least 1 task run, at most 500).

    A chunk lost with its worker is run again by Dask on another worker (up to
    `distributed.scheduler.allowed-failures` times): only that run's outcomes and log
    lines come back, so each task run is still reported once. When Dask gives up
    (`KilledWorker`), the chunk's task runs fail, or retry if their task has retries.

    The log lines of task runs and the secret values they read come back with each chunk
    (`proctor.core.executors.worker_logs`). Secrets passed as task inputs are read in the
    flow's process and sent as values; workers never read the run's server secrets
    (`proctor.core.secrets`). See docs/executors.md.
    """

    reports_start = False  # the start callback cannot be called from another process

    def __init__(
        self,
        address: str | None = None,
        cluster_class: str | type | None = None,
        cluster_kwargs: dict[str, Any] | None = None,
        client_kwargs: dict[str, Any] | None = None,
        chunk_size: int | None = None,
    ) -> None:
        super().__init__()
        if address is not None and (cluster_class is not None or cluster_kwargs):
            raise ValueError(
                "DaskExecutor: give either `address` (an existing scheduler) or "
                "`cluster_class`/`cluster_kwargs` (a temporary cluster), not both."
            )
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size!r}")
        self.address = address
        self.cluster_class = cluster_class
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self.client_kwargs = dict(client_kwargs or {})
        self.chunk_size = chunk_size
        self._client: Any = None
        self._cluster: Any = None
        # Futures not yet handed back, by key: Dask forgets a result (and may cancel its
        # task) once no future refers to it, so keep them until `completed()`.
        self._futures: dict[str, _Future] = {}
        self._finished: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._in_flight = 0

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, flow_context: FlowRunContext, on_start: StartCallback | None) -> None:
        super().start(flow_context, on_start)
        client_class = _distributed().Client
        self._finished = queue.SimpleQueue()
        self._futures = {}
        self._in_flight = 0
        client_kwargs = {"set_as_default": False, **self.client_kwargs}
        if self.address is not None:
            try:
                self._client = client_class(self.address, **client_kwargs)
            except OSError as exc:  # refused, timed out, a name that does not resolve
                raise ExecutorError(
                    f"DaskExecutor cannot reach the Dask scheduler at {self.address!r}: "
                    f"{exc}. Check that `dask scheduler` runs there and that this machine "
                    f"can reach that host and port (TLS settings go in client_kwargs)."
                ) from exc
            return
        cluster_class = self._resolve_cluster_class()
        self._cluster = cluster_class(**self._effective_cluster_kwargs(cluster_class))
        try:
            self._client = client_class(self._cluster, **client_kwargs)
        except BaseException:
            self._cluster.close()
            self._cluster = None
            raise

    def shutdown(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        try:
            if client is not None:
                if self._futures:
                    # The run ended early: stop what still runs for it.
                    client.cancel(list(self._futures.values()))
                    self._futures = {}
                # The client first: closing the cluster under a connected client makes it
                # log (and warn about) a lost scheduler connection.
                client.close()
        finally:
            if cluster is not None:
                cluster.close()

    def _resolve_cluster_class(self) -> type:
        configured = self.cluster_class
        if configured is None:
            found_default: type = _distributed().LocalCluster
            return found_default
        if isinstance(configured, str):
            module_name, _, class_name = configured.rpartition(".")
            if not module_name:
                raise ValueError(
                    f"cluster_class must be a class or a dotted path like "
                    f"'distributed.LocalCluster', got {configured!r}"
                )
            found: type = getattr(importlib.import_module(module_name), class_name)
            return found
        return configured

    def _effective_cluster_kwargs(self, cluster_class: type) -> dict[str, Any]:
        if not issubclass(cluster_class, _distributed().LocalCluster):
            return dict(self.cluster_kwargs)
        kwargs = {**LOCAL_CLUSTER_DEFAULTS, **self.cluster_kwargs}
        if kwargs.get("dashboard_address") is None:
            # Without a dashboard the scheduler still serves HTTP (health, metrics) on port
            # 8787, and warns when that is taken (another cluster, a concurrent flow run).
            # A free port on the loopback interface avoids the clash and exposes nothing.
            scheduler_kwargs = dict(kwargs.get("scheduler_kwargs") or {})
            scheduler_kwargs.setdefault("dashboard_address", "127.0.0.1:0")
            kwargs["scheduler_kwargs"] = scheduler_kwargs
        return kwargs

    # -- running ----------------------------------------------------------------------------

    def submit(self, units: list[TaskRunUnit]) -> None:
        client, flow_context = self._client, self.flow_context
        assert client is not None and flow_context is not None, "start() must come first"
        self._in_flight += len(units)
        finished = self._finished
        # A secret's task reads the run's secret here: workers never read server secrets.
        units, done_here = run_here(units, flow_context)
        if done_here:
            finished.put(done_here)
        refused: Completed = []
        payloads: list[bytes] = []
        keys: list[str] = []
        sent_chunks: list[list[TaskRunUnit]] = []
        try:
            threads = 1
            if self.chunk_size is None and len(units) > 1:
                # One scheduler round trip per batch; with `address`, workers come and go.
                threads = sum(client.nthreads().values())
            for chunk in split_batch(units, threads, self.chunk_size):
                payload, sent, chunk_refused = encode_chunk(chunk, flow_context)
                refused.extend(chunk_refused)
                if payload is None:
                    continue
                payloads.append(payload)
                # Named after the task so the dashboard groups a map's chunks together.
                keys.append(f"{sent[0].slug}-chunk-{uuid.uuid4().hex}")
                sent_chunks.append(sent)
            futures = client.map(run_chunk, payloads, key=keys, pure=False, retries=0)
        except Exception as exc:
            # The scheduler is gone or refused the work: fail the batch rather than crash
            # the flow run.
            not_sent = {id(unit) for unit, _state in refused}
            lost = [unit for unit in units if id(unit) not in not_sent]
            refused.extend(fail_all(lost, f"Dask did not accept its chunk: {exc!r}", exc))
            futures = []
        if refused:
            finished.put(refused)
        for key, sent, future in zip(keys, sent_chunks, futures, strict=False):
            self._futures[key] = future
            future.add_done_callback(functools.partial(_on_done, finished, sent))

    def completed(self, timeout: float | None) -> Completed:
        finished = self._finished
        try:
            done = [finished.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                done.append(finished.get_nowait())
            except queue.Empty:
                break
        results: Completed = []
        ready: list[tuple[list[TaskRunUnit], _Future]] = []
        for item in done:
            if isinstance(item, list):  # task runs that could not be sent at all
                results.extend(item)
                continue
            units, future = item
            status = future.status
            if status == "finished":
                ready.append((units, future))
            elif status in {"error", "cancelled"}:
                results.extend(self._failure(units, future))
            else:
                # Finished, then its result was lost with a worker: Dask computes it
                # again, and the callback fires again when it is done.
                future.add_done_callback(functools.partial(_on_done, finished, units))
        results.extend(self._gather(ready))
        self._in_flight -= len(results)
        return results

    def _gather(self, ready: list[tuple[list[TaskRunUnit], _Future]]) -> Completed:
        """Fetch finished chunks' results in one round trip (one per chunk if that fails)."""
        if not ready:
            return []
        client = self._client
        assert client is not None
        for _units, future in ready:
            self._futures.pop(future.key, None)
        try:
            blobs = client.gather([future for _units, future in ready])
        except Exception:
            blobs = None
        results: Completed = []
        for position, (units, future) in enumerate(ready):
            if blobs is not None:
                results.extend(decode_results(units, blobs[position]))
                continue
            try:
                data = future.result()
            except Exception as exc:
                results.extend(fail_all(units, f"Dask could not return its result: {exc!r}", exc))
            else:
                results.extend(decode_results(units, data))
        return results

    def _failure(self, units: list[TaskRunUnit], future: _Future) -> Completed:
        self._futures.pop(future.key, None)
        if future.status == "cancelled":
            return fail_all(units, "Dask cancelled its chunk (was the cluster shut down?)")
        try:
            exc = future.exception()
        except Exception as error:
            exc = error
        if exc is None:  # pragma: no cover - status said otherwise
            exc = RuntimeError(f"Dask future ended {future.status!r}")
        if isinstance(exc, _distributed().KilledWorker):
            return fail_or_retry(
                units,
                f"the Dask worker running its chunk of {len(units)} task run(s) died "
                f"(killed, out of memory, `os._exit()`), so it may not have run or finished "
                f"({exc})",
                exc,
            )
        return fail_all(units, f"Dask failed to run its chunk: {exc!r}", exc)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def __repr__(self) -> str:
        if self.address is not None:
            return f"<DaskExecutor address={self.address!r}>"
        configured = self.cluster_class
        if configured is None:
            name = "LocalCluster"
            kwargs = {**LOCAL_CLUSTER_DEFAULTS, **self.cluster_kwargs}
        else:
            name = configured if isinstance(configured, str) else configured.__name__
            kwargs = self.cluster_kwargs
        return f"<DaskExecutor cluster_class={name} cluster_kwargs={kwargs!r}>"


def _distributed() -> Any:
    """`distributed`, imported on first use (about a second; see the module docstring)."""
    import distributed

    return distributed


def _on_done(
    finished: queue.SimpleQueue[_Item],
    units: list[TaskRunUnit],
    future: _Future,
) -> None:
    # Runs on Dask's callback thread: only hand over; results are fetched in the flow's.
    finished.put((units, future))


__all__ = ["LOCAL_CLUSTER_DEFAULTS", "DaskExecutor"]
