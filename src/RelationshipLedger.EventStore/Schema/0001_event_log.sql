-- The event log: one row per stream, one row per event, and nothing but appends.

do $$
begin
    -- The hash chain hashes the database's text bytes; UTF-8 makes them the same everywhere.
    if current_setting('server_encoding') <> 'UTF8' then
        raise exception 'RelationshipLedger needs a UTF8 database, this one is %', current_setting('server_encoding');
    end if;
end $$;

create table ledger.streams (
    id          text        primary key,
    type        text        not null,
    version     bigint      not null check (version > 0),
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    head_hash   bytea       not null,
    archived    boolean     not null default false
);

create table ledger.events (
    seq_id       bigint      generated always as identity primary key,
    -- The writing transaction: readers of the global log stop below the oldest running writer,
    -- so an event whose transaction commits late is never skipped.
    tx_id        xid8        not null default pg_current_xact_id(),
    event_id     uuid        not null,
    stream_id    text        not null,
    version      bigint      not null check (version > 0),
    type         text        not null,
    data         jsonb       not null,
    metadata     jsonb       not null,
    occurred_at  timestamptz not null,
    recorded_at  timestamptz not null,
    hash         bytea       not null,
    constraint events_event_id_key unique (event_id),
    constraint events_stream_version_key unique (stream_id, version)
);

create index events_global_order on ledger.events (tx_id, seq_id);

create function ledger.refuse_event_changes() returns trigger
language plpgsql as $$
begin
    raise exception 'ledger.events is append-only: % is refused', tg_op
        using errcode = 'restrict_violation',
              hint = 'Correct a mistake by appending a compensating event.';
end $$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
create trigger events_refuse_update_delete
    before update or delete on ledger.events
    for each statement execute function ledger.refuse_event_changes();

create trigger events_refuse_truncate
    before truncate on ledger.events
    for each statement execute function ledger.refuse_event_changes();
