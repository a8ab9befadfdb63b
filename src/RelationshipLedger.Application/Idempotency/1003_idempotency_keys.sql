-- The first answer to each (principal, Idempotency-Key): written in the append's transaction, so a
-- repeat can never append twice, and a repeat with another body is recognised by its hash.
create table ledger.idempotency_keys (
    principal     text        not null,
    key           text        not null,
    request_hash  bytea       not null,
    customer_id   text        not null,
    version       bigint      not null,
    event_ids     uuid[]      not null,
    status        int         not null,
    created_at    timestamptz not null default now(),
    primary key (principal, key)
);
