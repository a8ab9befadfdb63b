-- The canonical bytes of an event, reproducible from its stored row alone:
-- each text field is its UTF-8 bytes prefixed by their length (4 bytes, big-endian); versions are
-- 8-byte big-endian integers; instants are PostgreSQL's binary timestamptz (microseconds since
-- 2000-01-01 UTC, 8 bytes big-endian); data and metadata are jsonb's own text form.
-- Integrity/CanonicalEvent.cs computes the same bytes independently to verify the chain.
create function ledger.hash_field(value bytea) returns bytea
language sql immutable strict parallel safe
return int4send(length(value)) || value;

-- Stable, as textsend is: PostgreSQL inlines a SQL function into its caller only when the body is
-- no more volatile than the function says. Inlined, it costs an expression; called, it would set up
-- an executor for its body on every append (most of the append's time for a single event).
create function ledger.event_canonical_bytes(
    stream_id text, version bigint, type text, occurred_at timestamptz, recorded_at timestamptz,
    data jsonb, metadata jsonb
) returns bytea
language sql stable strict parallel safe
return ledger.hash_field(textsend(stream_id))
    || int8send(version)
    || ledger.hash_field(textsend(type))
    || timestamptz_send(occurred_at)
    || timestamptz_send(recorded_at)
    || ledger.hash_field(textsend(data::text))
    || ledger.hash_field(textsend(metadata::text));

-- Appends a batch of events to one stream in one call: checks the expected version (null = any,
-- 0 = the stream must not exist, n = the stream must be at version n), extends the hash chain
-- (hash = sha256(previous hash || canonical bytes), the first event's previous hash is empty),
-- inserts the events and moves the stream head. A failed expectation returns conflict = true with
-- the stream's actual version and changes nothing.
create function ledger.append_events(
    p_stream_id text,
    p_stream_type text,
    p_expected_version bigint,
    p_event_ids uuid[],
    p_types text[],
    p_data jsonb[],
    p_metadata jsonb[],
    p_occurred_at timestamptz[]
) returns table (
    conflict boolean,
    stream_version bigint,
    recorded_at timestamptz,
    tx_id xid8,
    seq_ids bigint[],
    hashes bytea[]
)
language plpgsql as $$
declare
    v_count   int := cardinality(p_event_ids);
    v_version bigint;
    v_hash    bytea;
    v_now     timestamptz;
    v_hashes  bytea[];
    v_seq_ids bigint[];
    v_is_new  boolean := false;
begin
    loop
        select s.version, s.head_hash into v_version, v_hash
        from ledger.streams s where s.id = p_stream_id
        for update;
        exit when found;

        if p_expected_version is not null and p_expected_version <> 0 then
            return query select true, 0::bigint, null::timestamptz, null::xid8, null::bigint[], null::bytea[];
            return;
        end if;
        -- A new stream: claim its id now; a concurrent creator makes this insert do nothing.
        v_now := clock_timestamp();
        insert into ledger.streams as s (id, type, version, created_at, updated_at, head_hash)
        values (p_stream_id, p_stream_type, v_count, v_now, v_now, ''::bytea)
        on conflict (id) do nothing;
        if found then
            v_version := 0;
            v_hash := ''::bytea;
            v_is_new := true;
            exit;
        end if;
        -- Somebody created it first: lock and check it like any existing stream.
    end loop;

    if not v_is_new then
        if p_expected_version is not null and v_version <> p_expected_version then
            return query select true, v_version, null::timestamptz, null::xid8, null::bigint[], null::bytea[];
            return;
        end if;
        -- Taken after the stream lock, so recorded_at never goes backwards within a stream.
        v_now := clock_timestamp();
    end if;

    v_hashes := array_fill(null::bytea, array[v_count]);
    for i in 1 .. v_count loop
        v_hash := sha256(v_hash || ledger.event_canonical_bytes(
            p_stream_id, v_version + i, p_types[i], coalesce(p_occurred_at[i], v_now), v_now,
            p_data[i], p_metadata[i]));
        v_hashes[i] := v_hash;
    end loop;

    with inserted as (
        insert into ledger.events
            (event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash)
        select e.event_id, p_stream_id, v_version + e.ord, e.type, e.data, e.metadata,
               coalesce(e.occurred_at, v_now), v_now, e.hash
        from unnest(p_event_ids, p_types, p_data, p_metadata, p_occurred_at, v_hashes)
             with ordinality as e(event_id, type, data, metadata, occurred_at, hash, ord)
        order by e.ord
        returning ledger.events.seq_id, ledger.events.version
    )
    select array_agg(i.seq_id order by i.version) into v_seq_ids from inserted i;

    update ledger.streams s
    set version = v_version + v_count, head_hash = v_hash, updated_at = v_now
    where s.id = p_stream_id;

    return query select false, v_version + v_count, v_now, pg_current_xact_id(), v_seq_ids, v_hashes;
end $$;
