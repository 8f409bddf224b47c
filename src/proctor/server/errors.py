"""Domain errors of the server, each with a stable machine-readable `code`.

    ProctorServerError          (code: INTERNAL)
    ├── NotFound                NOT_FOUND
    ├── InvalidInput            INVALID_INPUT
    ├── Conflict                CONFLICT
    │   └── StaleVersion        STALE_VERSION
    ├── TransitionRejected      TRANSITION_REJECTED
    ├── LimitExceeded           LIMIT_EXCEEDED
    ├── Forbidden               FORBIDDEN
    ├── Unauthenticated         UNAUTHENTICATED
    └── Unavailable             UNAVAILABLE   (database unreachable or too busy)

Services raise these and nothing else on purpose: the API turns them into typed GraphQL
errors without knowing SQLAlchemy, and the codes are part of the public contract (clients
branch on them), so they never change once released.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ProctorServerError(Exception):
    """Base of every domain error: `code`, a human `message` and structured `details`."""

    default_code: ClassVar[str] = "INTERNAL"

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}
        self.code: str = code or self.default_code

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as the API puts it in a GraphQL error's `extensions`."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code}: {self.message!r})"


class NotFound(ProctorServerError):
    """The object does not exist, or belongs to another tenant (never say which)."""

    default_code = "NOT_FOUND"


class InvalidInput(ProctorServerError):
    """The request is malformed: nothing was changed."""

    default_code = "INVALID_INPUT"


class Conflict(ProctorServerError):
    """The request contradicts the current data (e.g. a name that is already taken)."""

    default_code = "CONFLICT"


class StaleVersion(Conflict):
    """Optimistic concurrency: the caller's `version` is not the current one."""

    default_code = "STALE_VERSION"


class TransitionRejected(ProctorServerError):
    """An orchestration rule refused a state change (`details["rule"]` names it)."""

    default_code = "TRANSITION_REJECTED"


class LimitExceeded(ProctorServerError):
    """A page, batch or payload is larger than the configured limit."""

    default_code = "LIMIT_EXCEEDED"


class Forbidden(ProctorServerError):
    default_code = "FORBIDDEN"


class Unauthenticated(ProctorServerError):
    default_code = "UNAUTHENTICATED"


class StartupFailed(ProctorServerError):
    """The server cannot start for a reason the operator can fix (e.g. the database is
    unreachable): shown as one message, without a traceback."""

    default_code = "STARTUP_FAILED"


class Unavailable(ProctorServerError):
    """The database could not be reached, or stayed locked past the timeout: retry later."""

    default_code = "UNAVAILABLE"


ERROR_CODES: tuple[str, ...] = (
    "NOT_FOUND",
    "INVALID_INPUT",
    "CONFLICT",
    "STALE_VERSION",
    "TRANSITION_REJECTED",
    "LIMIT_EXCEEDED",
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "UNAVAILABLE",
)

__all__ = [
    "ERROR_CODES",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "LimitExceeded",
    "NotFound",
    "ProctorServerError",
    "StaleVersion",
    "StartupFailed",
    "TransitionRejected",
    "Unauthenticated",
    "Unavailable",
]
