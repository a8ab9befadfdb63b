-- Blue/green rebuilds of asynchronous projections (docs/rebuilds.md): one row per rebuild. A rebuild
-- replays the log into shadow copies of the projection's tables (<table>_rebuild) and moves its own
-- checkpoint here in the transaction of each batch, so a crashed or cancelled rebuild resumes from it.

create table ledger.projection_rebuilds (
    id                bigint      generated always as identity primary key,
    projection        text        not null references ledger.projection_checkpoints (name),
    -- running: not finished (being run by the session that holds the rebuild lock, or interrupted and
    -- resumable when none does); completed: swapped in; failed: given up, shadow tables dropped.
    state             text        not null default 'running' check (state in ('running', 'completed', 'failed')),
    -- Every event of the projection's types up to and including this position is in the shadow tables.
    position_tx       xid8        not null default '0',
    position_seq      bigint      not null default 0,
    events_done       bigint      not null default 0,
    -- Events done plus the projection's events still to replay to the head, as last counted.
    events_total      bigint      not null default 0,
    -- Where this run (the first, or the latest resume) started, for the rate and the time left.
    run_started_at    timestamptz not null default now(),
    run_started_done  bigint      not null default 0,
    node              text,
    -- SHA-256 of the shadow's rows before the swap, and of the live rows in the same snapshot.
    content_hash      text,
    content_rows      bigint,
    content_position  text,
    live_hash         text,
    live_rows         bigint,
    live_position     text,
    -- Whether both were of the same events (null: the live model was at other events of its types).
    matches_live      boolean,
    error             text,
    started_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    finished_at       timestamptz
);

-- At most one unfinished rebuild per projection: a new one resumes it instead.
create unique index projection_rebuilds_one_unfinished on ledger.projection_rebuilds (projection)
    where state = 'running';
create index projection_rebuilds_by_projection on ledger.projection_rebuilds (projection, id);
