"""What the domain services are built from, not what callers ask for.

A module belongs here when it serves other services rather than naming something of
the domain an API resolver or a background job asks about: the records services return
(`records`) and the row-to-record functions (`rows`), argument checks (`validation`,
`parameters`, `flowspec`), lookups by id or name (`lookups`), tenant checks (`tenants`),
keyset pages (`pagination`), the batch inputs of the write path (`inputs`) and its
pipelining (`write_pipeline`), what the activity feed and the audit log share
(`event_log`), generated run names (`names`), the scheduler's memory of costly
schedules (`schedule_memory`) and giving SQLite space back (`sqlite_space`).

Keeping them apart lets `proctor.server.services` read as the list of domain nouns, and
lets the layering contract say who may reach below that list.
"""
