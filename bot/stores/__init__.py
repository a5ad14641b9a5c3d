"""Where conversations, locks and shared counters live. In the embedded profile: a SQLite
file and this process's memory; in the scale profile: PostgreSQL and Redis, shared by
every replica. The tracker store also keeps the privacy rules: no user text, forget on
request, purge when idle."""
