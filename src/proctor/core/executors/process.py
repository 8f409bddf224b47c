"""`ProcessExecutor`: runs task runs on a pool of worker processes on this machine.

For CPU-bound Python tasks, which threads cannot run in parallel because of the GIL.

Task runs travel in *chunks*: a batch of ready task runs (10,000 mapped children arrive as
one batch) is split into about four chunks per worker, each pickled once, run one after
another by a worker, and sent back as one message. So a large map costs a few dozen round
trips instead of one per child, while four chunks per worker still balance uneven tasks.

Payloads are pickled with cloudpickle, not pickle, because tasks are often lambdas,
closures or functions defined in `__main__`, which pickle cannot send by reference.

The chunk helpers here (`split_batch`, `encode_chunk`, `run_chunk`, `decode_results`) are
shared with the Dask executor: the same worker function runs in Dask workers.

Start method: by default `forkserver` where the platform has it (Linux, macOS), else
`spawn`. `fork` is faster to start, but forking a process that runs other threads (a
server's agent, a Dask client, a timed-out task's thread) can deadlock the child on a lock
held by a thread that does not exist there, and Python 3.12+ warns about it; Python 3.14
made `forkserver` the Linux default for that reason. Like `spawn`, `forkserver` imports the
main module again in each worker, so a script must keep its flow run under
`if __name__ == "__main__":`. Pass `mp_context="fork"` to trade that safety for speed.
"""

from __future__ import annotations

import copy
import functools
import logging
import multiprocessing
import os
import queue
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

import cloudpickle

from proctor.core.executors import worker_logs
from proctor.core.executors.base import Completed, Executor
from proctor.core.masking import has_secret_values, is_secret_value, register_secret_value
from proctor.core.runner.task_runner import retry_or_fail, run_task
from proctor.core.secrets import resolver_installed, worker_lookup
from proctor.core.states import Cancelled, Failed, State

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event as EventType

    from proctor.core.context import FlowRunContext
    from proctor.core.executors.base import StartCallback
    from proctor.core.runner.unit import TaskRunUnit

# About this many chunks per worker: enough to even out uneven tasks, few enough that
# the per-chunk cost (a pickle, a pipe message, a queue hop) stays negligible.
CHUNKS_PER_WORKER = 4
# No chunk larger than this, so that one slow chunk does not hold back a huge map's end,
# and so that a worker that dies takes at most this many task runs with it.
MAX_CHUNK_SIZE = 500

_GUARD_HINT = (
    "If every task run fails like this, check that the script starts its flow run under "
    '`if __name__ == "__main__":`: each worker imports the main module again.'
)


def _dumps(value: object) -> bytes:
    data: bytes = cloudpickle.dumps(value)
    return data


def default_start_method() -> str:
    """`forkserver` where available (safe with threads, cheap per worker), else `spawn`."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def split_batch(
    units: list[TaskRunUnit], workers: int, chunk_size: int | None = None
) -> list[list[TaskRunUnit]]:
    """Split a batch into chunks: `chunk_size` each, or about `CHUNKS_PER_WORKER * workers`
    chunks of even size (at least one task run, at most `MAX_CHUNK_SIZE`)."""
    total = len(units)
    if total == 0:
        return []
    if chunk_size is not None:
        return [units[start : start + chunk_size] for start in range(0, total, chunk_size)]
    count = max(CHUNKS_PER_WORKER * max(workers, 1), -(-total // MAX_CHUNK_SIZE))
    count = min(count, total)
    size, extra = divmod(total, count)
    chunks: list[list[TaskRunUnit]] = []
    start = 0
    for position in range(count):
        end = start + size + (1 if position < extra else 0)
        chunks.append(units[start:end])
        start = end
    return chunks


def describe(unit: TaskRunUnit) -> str:
    """`task 'inc' (inc-1[3])`: how messages name a task run."""
    where = "" if unit.map_index is None else f"[{unit.map_index}]"
    return f"task {unit.task.name!r} ({unit.slug}{where})"


def fail_all(units: list[TaskRunUnit], message: str, exc: BaseException | None = None) -> Completed:
    """The same failure for every task run of a chunk."""
    return [(unit, Failed(f"{describe(unit)}: {message}", exc)) for unit in units]


def fail_or_retry(units: list[TaskRunUnit], message: str, exc: BaseException) -> Completed:
    """For task runs lost with their worker: a lost attempt counts as a failed one, so a
    task with retries left gets `Retrying` (the flow runner resubmits it), others `Failed`."""
    return [
        (unit, retry_or_fail(unit.task, unit, Failed(f"{describe(unit)}: {message}", exc)))
        for unit in units
    ]


def _log_settings() -> tuple[int, str]:
    """What a worker needs to send this process its log lines: the level of the
    `proctor` logger here, and who this process is (see `worker_logs.collecting`)."""
    return logging.getLogger("proctor").getEffectiveLevel(), worker_logs.this_process()


def _secret_settings(units: list[TaskRunUnit]) -> tuple[bool, frozenset[str]]:
    """What a worker needs to know of this run's secrets: whether they come from a server
    (then a task there reads only the worker's own: `worker_lookup`), and the
    secret values among the chunk's inputs, for the worker to mask them in its own output
    (the flow's process masks what comes back either way)."""
    values: frozenset[str] = frozenset()
    if has_secret_values():
        values = frozenset(
            value for unit in units for value in unit.inputs.values() if is_secret_value(value)
        )
    return resolver_installed(), values


def run_here(
    units: list[TaskRunUnit], flow_context: FlowRunContext
) -> tuple[list[TaskRunUnit], Completed]:
    """Run now, in the flow's process, the task runs that must not go to a worker (a
    `secret:NAME` task reads the run's secret here); `(the others, their outcomes)`."""
    if not any(getattr(unit.task, "runs_in_flow_process", False) for unit in units):
        return units, []
    others: list[TaskRunUnit] = []
    done: Completed = []
    for unit in units:
        if getattr(unit.task, "runs_in_flow_process", False):
            try:
                state = run_task(unit, flow_context)
            except Exception as exc:  # a hook or the engine, as in `_run_units`
                state = Failed(f"Proctor failed to run {describe(unit)}: {exc!r}", exc)
            done.append((unit, state))
        else:
            others.append(unit)
    return others, done


def encode_chunk(
    units: list[TaskRunUnit], flow_context: FlowRunContext
) -> tuple[bytes | None, list[TaskRunUnit], Completed]:
    """Pickle a chunk for a worker: `(payload, units sent, Failed pairs for units that
    cannot be pickled)`. One bad input fails only its own task run, not its neighbours."""
    logs = _log_settings()
    rule = _secret_settings(units)
    try:
        return _dumps((units, flow_context, logs, rule)), units, []
    except Exception:
        pass  # find out which task runs cannot be sent
    try:
        _dumps(flow_context)
    except Exception as exc:
        reason = f"the flow run's parameters cannot be pickled: {type(exc).__name__}: {exc}"
        return None, [], fail_all(units, f"Cannot send the task run to a worker: {reason}", exc)
    sendable: list[TaskRunUnit] = []
    refused: Completed = []
    for unit in units:
        try:
            _dumps(unit)
        except Exception as exc:
            message = (
                f"Cannot send {describe(unit)} to a worker: the task or its inputs cannot be "
                f"pickled: {type(exc).__name__}: {exc}"
            )
            refused.append((unit, Failed(message, _picklable_error(exc))))
        else:
            sendable.append(unit)
    if not sendable:
        return None, [], refused
    return _dumps((sendable, flow_context, logs, rule)), sendable, refused


def run_chunk(payload: bytes) -> bytes:
    """Worker side: run each task run of a pickled chunk, return the pickled outcomes.

    Returns `([(started_at, state), ...], log records, secret values read)`, outcomes in
    the chunk's order (the flow's process keeps its own unit objects, so units need not
    travel back; see `worker_logs` for the rest), or a `str` explaining why the chunk
    could not be loaded. Never raises for a task's doing: every outcome is a state.
    """
    try:
        units, flow_context, (log_level, origin), (server, values) = cloudpickle.loads(payload)
    except Exception as exc:
        return _dumps(f"The worker could not load the task runs: {exc!r}")
    for value in values:
        register_secret_value(value)
    with worker_logs.collecting(log_level, origin) as collected:
        # (A chunk run in the flow's own process, by an in-process Dask worker, is not
        # on a worker: the run's resolver is right here.)
        if server and origin != worker_logs.this_process():
            with worker_lookup():
                outcomes = _run_units(units, flow_context)
        else:
            outcomes = _run_units(units, flow_context)
    records, secrets = (collected.records, collected.secrets) if collected else ([], set())
    try:
        return _dumps((outcomes, records, secrets))
    except Exception:
        pass  # some value cannot be pickled: replace only those states
    safe = [
        (started_at, _sendable_state(unit, state))
        for unit, (started_at, state) in zip(units, outcomes, strict=True)
    ]
    return _dumps((safe, records, secrets))


def _run_units(units: list[TaskRunUnit], flow_context: FlowRunContext) -> list[tuple[float, State]]:
    outcomes: list[tuple[float, State]] = []
    for unit in units:
        if _stop is not None and _stop.is_set():
            # The flow run was cancelled: the rest of the chunk does not start (a start
            # time of 0 tells the flow's process it never ran).
            outcomes.append((0.0, Cancelled("The flow run was cancelled before it started")))
            continue
        try:
            state = run_task(unit, flow_context)
        except (Exception, SystemExit) as exc:
            # run_task turns task errors into states; this is a hook or the engine failing
            # (or `sys.exit()` in a task), which must not take the rest of the chunk down.
            state = Failed(f"Proctor failed to run {describe(unit)}: {exc!r}", exc)
        if isinstance(state.result, BaseException):
            # Exceptions often pickle but fail to unpickle (a custom __init__ with extra
            # arguments); check now, while only this task run is affected.
            state = _sendable_state(unit, state, roundtrip=True)
        outcomes.append((unit.started_at, state))
    return outcomes


def _sendable_state(unit: TaskRunUnit, state: State, *, roundtrip: bool = False) -> State:
    """`state` if it pickles (and, with `roundtrip`, unpickles), else a stand-in that does
    and says what went wrong."""
    try:
        data = _dumps(state)
        if roundtrip:
            cloudpickle.loads(data)
    except Exception as exc:
        problem = f"cannot be pickled to send it back from the worker: {type(exc).__name__}: {exc}"
        value = state.result
        if state.is_successful():
            message = f"{describe(unit)} returned a {type(value).__name__} value that {problem}"
            return Failed(message, _picklable_error(exc))
        # A failure (or retry) whose exception does not pickle: keep the state, swap the
        # exception for a description of it.
        stand_in = copy.copy(state)
        stand_in.result = RuntimeError(f"{value!r} (the original {problem})")
        try:
            _dumps(stand_in)
        except Exception:
            return Failed(f"{describe(unit)} ended {state.name} with a state that {problem}")
        return stand_in
    return state


def _picklable_error(exc: BaseException) -> BaseException:
    """Pickling errors sometimes hold the offending object; keep only their text."""
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def decode_results(units: list[TaskRunUnit], data: bytes) -> Completed:
    """Flow side: pair `run_chunk`'s outcomes with the units that were sent, after
    handing the chunk's log lines to this process's loggers."""
    try:
        loaded = cloudpickle.loads(data)
    except Exception as exc:
        return fail_all(
            units,
            f"the results of its chunk came back but cannot be unpickled here: {exc!r}",
            _picklable_error(exc),
        )
    if isinstance(loaded, str):
        return fail_all(units, loaded)
    outcomes, records, secrets = loaded
    # Secrets first: the lines, and the states the runner reports next, get masked.
    worker_logs.replay(records, secrets)
    completed: Completed = []
    for unit, (started_at, state) in zip(units, outcomes, strict=True):
        unit.started_at = started_at
        completed.append((unit, state))
    return completed


# Set in a worker by `_init_worker`: the flow run's cancellation, shared with its process.
_stop: EventType | None = None


def _init_worker(environ: dict[str, str] | None, stop: EventType | None = None) -> None:
    """Runs once in each new worker process.

    A forkserver child inherits the environment of the fork server, i.e. of this process
    when the server started (possibly long ago); give it the environment as of this flow
    run, as `spawn` and `fork` would. Then set up logging: the lines of task runs go back
    to the flow's process with their chunk (`worker_logs`), others to stderr.
    `stop` is set when the flow run is cancelled: task runs not started yet stay unstarted.
    """
    global _stop
    _stop = stop
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    worker_logs.install(exclusive=True)


def _available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# What the pool's callback thread hands to `completed()`: a function that, called in the
# flow's thread, unpickles and returns the outcomes.
_Collect = Callable[[], Completed]


class ProcessExecutor(Executor):
    """Run task runs on up to `max_workers` processes (default: the usable CPUs).

    `mp_context` names the start method (`"forkserver"`, `"spawn"` or `"fork"`); the
    default is explained in this module's docstring. The pool lives for one flow run:
    created in `start()`, shut down in `shutdown()`.

    Inputs, outputs and exceptions cross process boundaries, so they must pickle (with
    cloudpickle); a task run whose inputs or output cannot be pickled ends `Failed`. A
    worker that dies (killed, out of memory, `os._exit`) fails the task runs that were in
    flight with a message saying so, and a new pool serves the rest of the flow run.
    """

    reports_start = False  # the start callback cannot be called from another process

    def __init__(self, max_workers: int | None = None, mp_context: str | None = None) -> None:
        super().__init__()
        if max_workers is not None and max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers!r}")
        if mp_context is not None:
            multiprocessing.get_context(mp_context)  # fail early on an unknown method name
        self.max_workers = max_workers
        self.mp_context = mp_context
        self._pool: ProcessPoolExecutor | None = None
        self._workers = 1
        self._method = mp_context or default_start_method()
        self._environ: dict[str, str] | None = None
        self._hint = ""
        self._finished: queue.SimpleQueue[_Collect] = queue.SimpleQueue()
        self._in_flight = 0
        self._stop: EventType | None = None

    def start(self, flow_context: FlowRunContext, on_start: StartCallback | None) -> None:
        super().start(flow_context, on_start)
        workers = self.max_workers or _available_cpus()
        if sys.platform == "win32":
            workers = min(workers, 61)  # the most ProcessPoolExecutor allows there
        self._workers = workers
        self._environ = dict(os.environ) if self._method == "forkserver" else None
        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        self._hint = _GUARD_HINT if self._method != "fork" and main_file else ""
        # A fresh queue per run: callbacks of a previous run's pool must not leak in.
        self._finished = queue.SimpleQueue()
        self._in_flight = 0
        self._stop = multiprocessing.get_context(self._method).Event()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context(self._method),
            initializer=_init_worker,
            initargs=(self._environ, self._stop),
        )

    def stop_starting(self) -> None:
        # Read by the workers before each task run of their chunks; queued chunks then
        # end at once, each task run Cancelled.
        if self._stop is not None:
            self._stop.set()

    def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if self._in_flight == 0:
            pool.shutdown(wait=True)
            return
        # The run ended early (cancelled, or the flow runner failed) with chunks still
        # running: stop them rather than let them run on, and keep the interpreter from
        # waiting for them at exit. `_processes` is private, but the pool offers no other
        # way to stop a running worker.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()

    def submit(self, units: list[TaskRunUnit]) -> None:
        flow_context = self.flow_context
        assert self._pool is not None and flow_context is not None, "start() must come first"
        finished = self._finished
        self._in_flight += len(units)
        units, done_here = run_here(units, flow_context)
        if done_here:
            finished.put(functools.partial(list, done_here))
        for chunk in split_batch(units, self._workers):
            payload, sent, refused = encode_chunk(chunk, flow_context)
            if refused:
                finished.put(functools.partial(list, refused))
            if payload is None:
                continue
            future = self._submit_payload(payload)
            future.add_done_callback(functools.partial(_on_done, finished, sent, self._hint))

    def _submit_payload(self, payload: bytes) -> Future[bytes]:
        pool = self._pool
        assert pool is not None
        try:
            return pool.submit(run_chunk, payload)
        except BrokenProcessPool:
            # A worker died earlier in this run; the pool is unusable, so replace it.
            pool.shutdown(wait=False)
            self._pool = pool = self._new_pool()
            return pool.submit(run_chunk, payload)

    def completed(self, timeout: float | None) -> Completed:
        finished = self._finished
        try:
            collects = [finished.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                collects.append(finished.get_nowait())
            except queue.Empty:
                break
        results: Completed = []
        for collect in collects:
            results.extend(collect())
        self._in_flight -= len(results)
        return results

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def __repr__(self) -> str:
        return f"<ProcessExecutor max_workers={self.max_workers} mp_context={self._method!r}>"


def _on_done(
    finished: queue.SimpleQueue[_Collect],
    units: list[TaskRunUnit],
    hint: str,
    future: Future[bytes],
) -> None:
    # Runs in the pool's management thread: only hand over, unpickle in the flow's thread.
    finished.put(functools.partial(_collect, units, hint, future))


def _collect(units: list[TaskRunUnit], hint: str, future: Future[bytes]) -> Completed:
    if future.cancelled():
        return fail_all(units, "its chunk was cancelled before it ran")
    exc = future.exception()
    if isinstance(exc, BrokenProcessPool):
        return fail_or_retry(
            units,
            "a worker process died abruptly (killed, out of memory, `os._exit()`, or it "
            f"could not start) while its chunk of {len(units)} task run(s) was in flight, "
            f"so it may not have run or finished ({exc}). {hint}".rstrip(),
            exc,
        )
    if exc is not None:
        return fail_all(units, f"Proctor failed to run its chunk: {exc!r}", exc)
    return decode_results(units, future.result())


__all__ = ["ProcessExecutor"]
