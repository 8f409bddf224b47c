"""The Proctor server: state database, orchestration rules, domain services, events.

    proctor.server.database       engine + dialect set-up, models, Alembic migrations
    proctor.server.orchestration  the one checkpoint every state change goes through
    proctor.server.services       domain operations (what the API resolvers call)
    proctor.server.events         in-process pub/sub (+ PostgreSQL LISTEN/NOTIFY fan-out)
    proctor.server.errors         domain errors with stable codes

The server imports `proctor.core` for names only (state types, the FlowSpec shape); it
never imports user code, the CLI, the agent or the client, and never unpickles anything.
Importing this package is cheap: submodules are imported by whoever needs them.
"""
