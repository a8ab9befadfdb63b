-- The projection daemon's bookkeeping: one checkpoint per asynchronous projection, and the events
-- a projection gave up on. A projection's own tables come from its own migration.

create table ledger.projection_checkpoints (
    name           text        primary key,
    -- The second key of the projection's session advisory lock, pg_try_advisory_lock(<daemon key>, lock_key):
    -- whoever holds it is the projection's only runner.
    lock_key       int         generated always as identity unique,
    -- Every event of the projection's types up to and including this position is applied.
    position_tx    xid8        not null default '0',
    position_seq   bigint      not null default 0,
    -- running: applying or idle at the head; retrying: backing off after a failure (last_error says
    -- which); paused: stopped at a dead letter until an operator resumes it.
    state          text        not null default 'running',
    last_error     text,
    -- The types the projection reads (null: every event), so that any node can measure its lag.
    event_types    text[],
    events_applied bigint      not null default 0,
    -- The node that last took the projection's lock.
    owner          text,
    updated_at     timestamptz not null default now()
);

create table ledger.projection_dead_letters (
    id            bigint      generated always as identity primary key,
    projection    text        not null references ledger.projection_checkpoints (name),
    position_tx   xid8        not null,
    position_seq  bigint      not null,
    event_id      uuid        not null,
    stream_id     text        not null,
    version       bigint      not null,
    type          text        not null,
    error         text        not null,
    attempts      int         not null,
    recorded_at   timestamptz not null default now(),
    -- Set when an operator resumes the projection: 'retried' or 'skipped'.
    resolved_at   timestamptz,
    resolution    text
);

create index projection_dead_letters_by_projection on ledger.projection_dead_letters (projection, id);
