"""Domain operations of the server: what the API resolvers (and the CLI, agents and
background jobs) call. Every function takes `(db, tenant_id, ...)`, checks its input,
does its work in one transaction, publishes events on `db.events` after commit, and
returns plain records (`plumbing.records`), never ORM objects. Errors are
`proctor.server.errors` with stable codes.

This package imports none of its modules: import the one you need
(`from proctor.server.services.flow_runs import create_flow_run`), so that importing one
domain module costs that module and what it uses, not every sibling.

Projects and flows
    projects           named folders of flows within a team
    flows              registering flow versions, archiving, reading them back
    housekeeping       deleting a flow, a version or a project, run counts known first
    schedules          materialising upcoming runs of active schedules
    schedule_edits     editing a flow's schedule from the API, with a preview
    backfills          runs for every scheduled time of a past range

Flow runs
    flow_runs          create (parameters, idempotency), read, list, cancel, delete
    flow_run_states    flow-run state changes through the orchestration policy
    manual_states      "Mark as" a state by hand, with a reason
    restarts           restart a finished run: what failed and downstream, or chosen tasks
    restart_preview    what a restart would run again, said before it is asked for
    run_bulk           cancel, restart or delete a list of runs
    run_search         the runs list across a team's flows: filters and sort orders
    run_compare        two runs side by side
    run_configs        a run's config as agents read it
    run_context        the one consistent snapshot a run process reads at its start
    attempts           a run's attempts, read from its state history
    failure_summary    why a run failed: its first failed task runs
    recent_failures    the dashboard's failures as they happened
    dashboard          the dashboard's counts

Task runs and their output
    task_runs          batched task-run state changes (the hot path) and reads
    task_run_views     slim reads of a run's task runs for the UI
    task_run_versions  the versions of a run's most recently changed task runs
    logs               log lines of runs and task runs: batched writes, paged reads
    artifacts          artifacts of task runs: batched writes, reads

Agents and the runs they hold
    agents             registration, heartbeats, listing, claiming due runs
    claims             the long-poll claim: answered as soon as a run becomes due
    agent_health       an agent's health from its last heartbeat
    agent_match        can any agent take this run?
    lazarus            runs whose process is gone go back to the queue
    zombies            task runs left Running by a run that stopped heartbeating

Concurrency limits
    concurrency_limits  setting limits, reading their usage, the older slot requests
    concurrency_slots   the slots a transaction takes and gives back

Teams' records
    secrets            team secrets: set, list names, hand a value to a run
    keyring            the keys secrets are sealed with
    activity           the activity feed: list, read one, prune
    audit              the audit log: write, list, prune
    audit_writer       how audit events reach the database off the hot path
    retention          deleting run history past a team's policy
    retention_policy   the server's and each team's retention figures

Sub-packages
    alerting/          automations, their delivery, and SLAs
    plumbing/          what the modules above are built from (records, rows, checks,
                       lookups, pages, batch inputs); not for callers outside the server
    _transitions/      the transition engine's writer and its after-write effects
"""
