-- Crypto-shredding: a data key per stream, which encrypts the protected fields of its events
-- (EventStore Protection/). Erasing a stream's personal data destroys its key: the events stay
-- byte for byte as they were (every hash chain and digest still verifies), but their protected
-- fields can never be decrypted again. An erased stream keeps its row, with no key, so that
-- protected fields appended later are written erased too.
create table ledger.stream_keys (
    stream_id   text        primary key,
    key         bytea,
    created_at  timestamptz not null default now(),
    erased_at   timestamptz,
    check ((key is null) = (erased_at is not null)),
    check (key is null or length(key) = 32)
);

-- The stream's key, created from p_candidate when it has none yet (a concurrent creator wins and its
-- key is returned); erased is true, with a null key, once the stream's personal data was erased.
-- Each statement of a volatile function sees what committed before it: the select finds the row a
-- concurrent insert committed while this one waited on the conflict.
create function ledger.stream_key(p_stream_id text, p_candidate bytea, out key bytea, out erased boolean)
language plpgsql as $$
begin
    insert into ledger.stream_keys (stream_id, key) values (p_stream_id, p_candidate)
    on conflict (stream_id) do nothing;
    select k.key, k.erased_at is not null into key, erased from ledger.stream_keys k where k.stream_id = p_stream_id;
end $$;
