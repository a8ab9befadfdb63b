-- Digests of the whole log (docs/digests.md): at a position of the gap-free order, the head of every
-- stream (its last version at or before that position and that event's hash) and the Merkle root over
-- them. Kept in the database for GET /ledger/digests and for comparisons, and exported signed, to be
-- kept outside the database: a stream rewritten with a recomputed, self-consistent chain, truncated
-- or removed no longer extends the head the digest saw.
create table ledger.digests (
    id         bigint      generated always as identity primary key,
    taken_at   timestamptz not null default now(),
    tx_id      xid8        not null,
    seq_id     bigint      not null,
    streams    bigint      not null,
    events     bigint      not null,
    root       bytea       not null
);

create table ledger.digest_heads (
    digest_id  bigint      not null references ledger.digests (id),
    stream_id  text        not null,
    version    bigint      not null,
    hash       bytea       not null,
    primary key (digest_id, stream_id)
);
