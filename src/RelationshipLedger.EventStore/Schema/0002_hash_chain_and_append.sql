-- The canonical bytes of an event, reproducible from its stored row alone:
-- each text field is its UTF-8 bytes prefixed by their length (4 bytes, big-endian); versions are
-- 8-byte big-endian integers; instants are PostgreSQL's binary timestamptz (microseconds since
-- 2000-01-01 UTC, 8 bytes big-endian); data and metadata are jsonb's own text form.
-- Integrity/CanonicalEvent.cs computes the same bytes independently to verify the chain.
create function ledger.hash_field(value bytea) returns bytea
language sql immutable strict parallel safe
return int4send(length(value)) || value;

-- The UTF-8 bytes come from convert_to, not textsend: textsend converts to the session's
-- client_encoding, so an append from a LATIN1 session would hash other bytes than the verifier.
-- Stable, as convert_to is: PostgreSQL inlines a SQL function into its caller only when the body
-- is no more volatile than the function says. Inlined, it costs an expression; called, it would
-- set up an executor for its body on every append (most of the time of a single-event append).
create function ledger.event_canonical_bytes(
    stream_id text, version bigint, type text, occurred_at timestamptz, recorded_at timestamptz,
    data jsonb, metadata jsonb
) returns bytea
language sql stable strict parallel safe
return ledger.hash_field(convert_to(stream_id, 'UTF8'))
    || int8send(version)
    || ledger.hash_field(convert_to(type, 'UTF8'))
    || timestamptz_send(occurred_at)
    || timestamptz_send(recorded_at)
    || ledger.hash_field(convert_to(data::text, 'UTF8'))
    || ledger.hash_field(convert_to(metadata::text, 'UTF8'));

-- Appends a batch of events to one stream in one call: checks the expected version (null = any,
-- 0 = the stream must not exist, n = the stream must be at version n), extends the hash chain
-- (hash = sha256(previous hash || canonical bytes), the first event's previous hash is empty),
-- inserts the events and moves the stream head. A failed expectation returns conflict = true with
-- the stream's actual version and changes nothing.
--
-- The head is read without a lock and moved only if it is still the head that was read: the
-- UPDATE (or, for a new stream, the INSERT) waits for a concurrent appender and rechecks, and when
-- another append got there first the head is read again, so the expectation and the chain are
-- always checked against the head this append extends. From that statement until commit the head
-- row is locked, so no one else can take the versions the events are then inserted at.
create function ledger.append_events(
    p_stream_id text,
    p_stream_type text,
    p_expected_version bigint,
    p_event_ids uuid[],
    p_types text[],
    p_data jsonb[],
    p_metadata jsonb[],
    p_occurred_at timestamptz[],
    out conflict boolean,
    out stream_version bigint,
    out recorded_at timestamptz,
    out tx_id xid8,
    out seq_ids bigint[],
    out hashes bytea[]
)
language plpgsql as $$
declare
    v_count   int := cardinality(p_event_ids);
    v_version bigint;
    v_hash    bytea;
    v_now     timestamptz;
begin
    loop
        select s.version, s.head_hash into v_version, v_hash
        from ledger.streams s where s.id = p_stream_id;
        if not found then
            v_version := 0;
            v_hash := ''::bytea;
        end if;
        if p_expected_version is not null and v_version <> p_expected_version then
            conflict := true;
            stream_version := v_version;
            return;
        end if;

        -- Taken after reading a committed head, so recorded_at never goes backwards within a stream.
        v_now := clock_timestamp();
        for i in 1 .. v_count loop
            v_hash := sha256(v_hash || ledger.event_canonical_bytes(
                p_stream_id, v_version + i, p_types[i], coalesce(p_occurred_at[i], v_now), v_now,
                p_data[i], p_metadata[i]));
            hashes[i] := v_hash;
        end loop;

        if v_version = 0 then
            insert into ledger.streams (id, type, version, created_at, updated_at, head_hash)
            values (p_stream_id, p_stream_type, v_count, v_now, v_now, v_hash)
            on conflict (id) do nothing;
        else
            update ledger.streams s
            set version = v_version + v_count, head_hash = v_hash, updated_at = v_now
            where s.id = p_stream_id and s.version = v_version;
        end if;
        exit when found;
    end loop;

    with inserted as (
        insert into ledger.events
            (event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash)
        select e.event_id, p_stream_id, v_version + e.ord, e.type, e.data, e.metadata,
               coalesce(e.occurred_at, v_now), v_now, e.hash
        from unnest(p_event_ids, p_types, p_data, p_metadata, p_occurred_at, hashes)
             with ordinality as e(event_id, type, data, metadata, occurred_at, hash, ord)
        order by e.ord
        returning ledger.events.seq_id, ledger.events.version
    )
    select array_agg(i.seq_id order by i.version) into seq_ids from inserted i;

    conflict := false;
    stream_version := v_version + v_count;
    recorded_at := v_now;
    tx_id := pg_current_xact_id();
end $$;

-- ledger.append_events for exactly one event, with scalar parameters and results: one command
-- recording one fact is the most frequent append, and for it the arrays (built and read by the
-- client, expanded by plpgsql) and the unnest INSERT cost more than the event itself. The rules and
-- the steps are those of ledger.append_events; a change to one is a change to both.
create function ledger.append_event(
    p_stream_id text,
    p_stream_type text,
    p_expected_version bigint,
    p_event_id uuid,
    p_type text,
    p_data jsonb,
    p_metadata jsonb,
    p_occurred_at timestamptz,
    out conflict boolean,
    out stream_version bigint,
    out recorded_at timestamptz,
    out tx_id xid8,
    out seq_id bigint,
    out hash bytea
)
language plpgsql as $$
declare
    v_version bigint;
    v_hash    bytea;
    v_now     timestamptz;
begin
    loop
        select s.version, s.head_hash into v_version, v_hash
        from ledger.streams s where s.id = p_stream_id;
        if not found then
            v_version := 0;
            v_hash := ''::bytea;
        end if;
        if p_expected_version is not null and v_version <> p_expected_version then
            conflict := true;
            stream_version := v_version;
            return;
        end if;

        -- Taken after reading a committed head, so recorded_at never goes backwards within a stream.
        v_now := clock_timestamp();
        v_hash := sha256(v_hash || ledger.event_canonical_bytes(
            p_stream_id, v_version + 1, p_type, coalesce(p_occurred_at, v_now), v_now, p_data, p_metadata));

        if v_version = 0 then
            insert into ledger.streams (id, type, version, created_at, updated_at, head_hash)
            values (p_stream_id, p_stream_type, 1, v_now, v_now, v_hash)
            on conflict (id) do nothing;
        else
            update ledger.streams s
            set version = v_version + 1, head_hash = v_hash, updated_at = v_now
            where s.id = p_stream_id and s.version = v_version;
        end if;
        exit when found;
    end loop;

    insert into ledger.events
        (event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash)
    values (p_event_id, p_stream_id, v_version + 1, p_type, p_data, p_metadata,
            coalesce(p_occurred_at, v_now), v_now, v_hash)
    returning ledger.events.seq_id into seq_id;

    conflict := false;
    stream_version := v_version + 1;
    recorded_at := v_now;
    tx_id := pg_current_xact_id();
    hash := v_hash;
end $$;
