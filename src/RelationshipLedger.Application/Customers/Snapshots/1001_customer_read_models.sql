-- The customer overview (inline read model) and the snapshots that let time travel fold only a tail.

create table ledger.customer_overview (
    customer_id    text        primary key,
    version        bigint      not null,
    name           text        not null,
    kind           text        not null,
    tier           text        not null,
    lifecycle_stage text       not null,
    stage_since    timestamptz not null,
    owner_id       text,
    care_tier      int,
    updated_at     timestamptz not null,
    rules_version  text        not null,
    -- The overview as of updated_at (what GET /customers/{id} shows, recomputed for "now" on read).
    summary        jsonb       not null,
    -- The folded state at `version`, in the format named by state_format: the head snapshot.
    state_format   text        not null,
    state          jsonb       not null
);

create index customer_overview_tier on ledger.customer_overview (tier, customer_id);
create index customer_overview_stage on ledger.customer_overview (lifecycle_stage, customer_id);
create index customer_overview_owner on ledger.customer_overview (owner_id, customer_id);

-- Every 100 versions: the state at that version and the latest business and knowledge instants it
-- contains, so a read "as of T, known at K" can start from a snapshot lying wholly before both.
create table ledger.customer_snapshots (
    customer_id      text        not null,
    version          bigint      not null,
    max_occurred_at  timestamptz not null,
    max_recorded_at  timestamptz not null,
    state_format     text        not null,
    state            jsonb       not null,
    primary key (customer_id, version)
);
