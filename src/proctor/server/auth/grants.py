"""Who may give which role: nobody grants a role above their own, only owners make owners.

`agent` (service-account keys: claim and report runs) sits beside the human roles: it may
be given by those who may do what it does (owners, admins, members), never by read-only
users.
"""

from __future__ import annotations

HUMAN_ROLES: tuple[str, ...] = ("owner", "admin", "member", "read_only")
KEY_ROLES: tuple[str, ...] = (*HUMAN_ROLES, "agent")

_RANK = {"read_only": 1, "member": 2, "admin": 3, "owner": 4}
# What an agent key can do, a member can do too: it ranks like a member when granted.
_GRANT_RANK = {**_RANK, "agent": 2}


def may_grant(granter: str, role: str) -> bool:
    """Whether someone with role `granter` may give `role` (to a person or a key)."""
    if granter not in _RANK or role not in _GRANT_RANK:
        return False
    return _GRANT_RANK[role] <= _RANK[granter]


def outranks(a: str, b: str) -> bool:
    """Whether human role `a` is stronger than `b`."""
    return _RANK.get(a, 0) > _RANK.get(b, 0)


def key_role(key: str, member: str) -> str | None:
    """The role a user's key acts with: its own, capped by its user's role in the team
    now (a demoted user's keys are demoted with them); None when nothing is left."""
    if may_grant(member, key):
        return key
    if key == "agent":
        return None  # a read-only user's agent key: it could do nothing it was made for
    return member


__all__ = ["HUMAN_ROLES", "KEY_ROLES", "key_role", "may_grant", "outranks"]
