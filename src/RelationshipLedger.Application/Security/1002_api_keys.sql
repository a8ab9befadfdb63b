-- API keys: only a SHA-256 of each key is kept; the key itself is shown once, when it is created.
create table ledger.api_keys (
    name        text        primary key,
    key_hash    bytea       not null unique,
    roles       text[]      not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
