"""Who is asking and what they may do.

    principal     the identity of one request: tenant, role, user and/or API key
    permissions   the one permission table: which role may do which action, and which
                  action every root field of the GraphQL schema needs
    resolve       request -> principal (API key, else session cookie + CSRF check)
    api_keys      pk_<prefix>_<secret> keys: create, list, revoke, authenticate
    sessions      browser sessions (cookie token, digest stored, CSRF token derived)
    passwords     argon2id hashing;  throttle: failed-login limits in the database
    users, teams, invitations, grants   people, teams, members and the role rules
    identity      who a principal is (/auth/me, `me`, `proctor whoami`)
    binding       local mode is for loopback only

The API's `Authorization` extension (`proctor.server.api.authorization`) checks every
operation against the table before it executes; a root field missing from the table is
refused, so a new resolver cannot ship unprotected.
"""

from proctor.server.auth.permissions import FIELD_ACTIONS, ROLE_ACTIONS, Action, allowed
from proctor.server.auth.principal import ROLES, Principal

__all__ = ["FIELD_ACTIONS", "ROLES", "ROLE_ACTIONS", "Action", "Principal", "allowed"]
