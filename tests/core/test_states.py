"""States: the tree of kinds (what each `is_*` answers), a state's description as JSON and
back, and the 1.x views (`_result`, a handler back-dating `timestamp`).

The expected answers are the tree drawn in DESIGN.md ("`Retrying` is a `Scheduled`;
`Cached`, `Mapped`, `Skipped` are kinds of `Success`; `TriggerFailed`, `TimedOut` of
`Failed`"), written out here by hand.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from proctor.core.states import (
    ALL_STATES,
    STATE_TYPES,
    Cached,
    Cancelled,
    Cancelling,
    Failed,
    Finished,
    Looped,
    Mapped,
    Paused,
    Pending,
    Queued,
    Retrying,
    Running,
    Scheduled,
    Skipped,
    State,
    StateResult,
    Submitted,
    Success,
    TimedOut,
    TriggerFailed,
    state_from_dict,
)

PREDICATES = (
    "is_pending",
    "is_scheduled",
    "is_retrying",
    "is_submitted",
    "is_running",
    "is_paused",
    "is_finished",
    "is_successful",
    "is_failed",
    "is_skipped",
    "is_cached",
    "is_mapped",
    "is_cancelled",
    "is_looped",
)

# Which predicates answer True for each kind of state; every other one answers False.
TRUE_FOR = {
    State: set(),
    Pending: {"is_pending"},
    Scheduled: {"is_pending", "is_scheduled"},
    Retrying: {"is_pending", "is_scheduled", "is_retrying"},
    Queued: {"is_pending"},
    Submitted: {"is_submitted"},
    Running: {"is_running"},
    Paused: {"is_paused"},
    Cancelling: set(),
    Finished: {"is_finished"},
    Looped: {"is_finished", "is_looped"},
    Success: {"is_finished", "is_successful"},
    Cached: {"is_finished", "is_successful", "is_cached"},
    Mapped: {"is_finished", "is_successful", "is_mapped"},
    Skipped: {"is_finished", "is_successful", "is_skipped"},
    Failed: {"is_finished", "is_failed"},
    TriggerFailed: {"is_finished", "is_failed"},
    TimedOut: {"is_finished", "is_failed"},
    Cancelled: {"is_finished", "is_cancelled"},
}


@pytest.mark.parametrize("cls", list(TRUE_FOR), ids=lambda cls: cls.__name__)
def test_each_kind_answers_its_predicates(cls):
    state = cls()
    answers = {name for name in PREDICATES if getattr(state, name)()}
    assert answers == TRUE_FOR[cls]
    assert state.name == cls.__name__


def test_every_reported_kind_is_listed_by_name_and_looped_is_not():
    assert set(ALL_STATES) == set(TRUE_FOR) - {State, Looped}
    assert {cls.__name__: cls for cls in ALL_STATES} == STATE_TYPES


def test_a_mapped_state_is_as_good_as_its_children():
    assert Mapped(map_states=[Success(), Cached()]).is_successful()
    assert not Mapped(map_states=[Success(), Failed()]).is_successful()
    assert Mapped(map_states=[Success(), TimedOut()]).is_failed()
    assert not Mapped(map_states=[Success(), Skipped()]).is_failed()
    # No children: nothing failed, so it counts as a success (an empty map).
    empty = Mapped()
    assert empty.map_states == []
    assert empty.is_successful() and not empty.is_failed()
    children = [Success()]
    assert Mapped(map_states=children).map_states is children


def test_the_base_state_keeps_message_result_location_and_creation_time():
    before = time.time()
    state = Failed("boom", ValueError("x"), result_location="s3://b/k")
    assert before <= state.created <= time.time()
    assert state.message == "boom"
    assert isinstance(state.result, ValueError)
    assert state.result_location == "s3://b/k"
    assert Success(created=12.5).created == 12.5
    state.result = 3
    assert state.result == 3
    assert state.cached_inputs == {}


def test_the_1x_result_view_reads_and_writes_value_and_location():
    state = Success(result=7, result_location="here")
    view = state._result
    assert isinstance(view, StateResult)
    assert (view.value, view.location) == (7, "here")
    assert repr(view) == "<StateResult location='here'>"
    state._result = StateResult(8, "there")
    assert (state.result, state.result_location) == (8, "there")
    state._result = 9  # a bare value replaces only the value
    assert (state.result, state.result_location) == (9, "there")
    assert StateResult().value is None and StateResult().location is None


def test_timestamp_is_utc_and_a_handler_may_move_it():
    state = Success(created=0.0)
    assert state.timestamp == datetime(1970, 1, 1, tzinfo=UTC)
    state.timestamp = datetime(2026, 1, 1)  # naive: taken as UTC
    assert state.created == datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    state.timestamp = datetime(2026, 1, 1, 2, tzinfo=timezone(timedelta(hours=2)))
    assert state.timestamp == datetime(2026, 1, 1, tzinfo=UTC)


def test_repr_shows_the_message_when_there_is_one():
    assert repr(Failed("boom")) == "<Failed: 'boom'>"
    assert repr(Success()) == "<Success>"
    assert repr(Success("")) == "<Success>"


AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC).timestamp()
START = datetime(2026, 3, 4, 6, 0, tzinfo=UTC).timestamp()


def test_to_dict_describes_each_kind_without_its_value():
    assert Failed("boom", ValueError("no"), result_location="loc", created=AT).to_dict() == {
        "type": "Failed",
        "message": "boom",
        "timestamp": "2026-03-04T05:06:07+00:00",
        "result_location": "loc",
    }
    scheduled = Scheduled("later", start_time=START, created=AT).to_dict()
    assert scheduled["type"] == "Scheduled"
    assert scheduled["start_time"] == "2026-03-04T06:00:00+00:00"
    assert Scheduled(created=AT).to_dict()["start_time"] is None
    retrying = Retrying("again", start_time=START, run_count=3, created=AT).to_dict()
    assert (retrying["start_time"], retrying["run_count"]) == ("2026-03-04T06:00:00+00:00", 3)
    assert Looped(loop_count=4, created=AT).to_dict()["loop_count"] == 4
    assert Mapped(map_states=[Success(), Failed()], created=AT).to_dict()["map_count"] == 2
    assert Scheduled(result_location="x", created=AT).to_dict()["result_location"] == "x"


def test_a_description_turns_back_into_the_same_kind_of_state():
    retrying = state_from_dict(
        Retrying("again", start_time=START, run_count=3, created=AT).to_dict()
    )
    assert type(retrying) is Retrying
    assert (retrying.message, retrying.created) == ("again", AT)
    assert (retrying.start_time, retrying.run_count) == (START, 3)
    assert retrying.result is None
    assert state_from_dict({"type": "Retrying"}).run_count == 1
    scheduled = state_from_dict(Scheduled(created=AT).to_dict())
    assert type(scheduled) is Scheduled and scheduled.start_time is None
    cached = state_from_dict(Cached("hit", 5, reused=False, result_location="r").to_dict())
    assert type(cached) is Cached
    assert (cached.cached_at, cached.reused, cached.result_location) == (None, True, "r")
    assert cached.result is None
    mapped = state_from_dict(Mapped(map_states=[Success()]).to_dict())
    assert type(mapped) is Mapped and mapped.map_states == []
    bare = state_from_dict({"type": "Running"})
    assert type(bare) is Running
    assert bare.message is None and bare.result_location is None
    assert bare.created == pytest.approx(time.time(), abs=60)


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match=r"Unknown state type in \{'type': 'Nope'\}"):
        state_from_dict({"type": "Nope"})
    with pytest.raises(ValueError, match="Unknown state type"):
        state_from_dict({})


def test_kinds_with_extra_fields_keep_them():
    cached = Cached("hit", 1, cached_at=5.0, reused=False)
    assert (cached.cached_at, cached.reused) == (5.0, False)
    assert Cached().reused is True and Cached().cached_at is None
    failure = Failed("x")
    retrying = Retrying(start_time=1.0, run_count=2, failure=failure)
    assert (retrying.start_time, retrying.run_count, retrying.failure) == (1.0, 2, failure)
    assert Retrying().run_count == 1 and Retrying().failure is None
    assert Looped().loop_count == 1
    assert Scheduled("m", 3, start_time=2.0, result_location="l").result_location == "l"
    assert Scheduled("m", 3).result == 3


@pytest.mark.parametrize("cls", [Looped, Cached, Scheduled, Retrying, Mapped])
def test_kinds_with_their_own_init_pass_the_common_fields_on(cls):
    extra = {"result_location": "loc"} if cls not in (Retrying, Mapped) else {}
    state = cls("message", "value", created=42.0, **extra)
    assert (state.message, state.result, state.created) == ("message", "value", 42.0)
    if extra:
        assert state.result_location == "loc"
    before = time.time()
    assert before <= cls().created <= time.time()


def test_a_persisted_result_is_described_with_the_state():
    from proctor.core.results.info import ResultInfo

    state = Success(result=1, result_location="/r/1", created=AT)
    assert "result_info" not in state.to_dict()
    state.result_info = ResultInfo("/r/1", 12, "PickleSerializer", "LocalResult")
    assert state.to_dict()["result_info"] == {
        "location": "/r/1",
        "size": 12,
        "serializer": "PickleSerializer",
        "result_type": "LocalResult",
    }


@pytest.mark.parametrize("cls", [Success, Failed, Pending, Mapped])
def test_a_new_state_has_no_artifacts_and_no_result_info(cls):
    state = cls("message", created=AT)
    assert state.artifacts == ()
    assert state.result_info is None
    assert "artifacts" not in state.to_dict() and "result_info" not in state.to_dict()
