-- Appends that RAISE on a failed expectation instead of returning conflict = true, for appends sent
-- in one batch with their inline projections' statements (EventStore.Append.Planned.cs): without an
-- explicit transaction, PostgreSQL runs such a batch as one implicit transaction, and only an error
-- stops the statements after the append and rolls the append back. The error has SQLSTATE 'RL409'
-- (a class of its own, no standard code starts with 'RL'); its HINT is the stream's actual version and
-- nothing else, which the store turns back into ConcurrencyConflictException(actualVersion). Not the
-- DETAIL: Npgsql redacts DETAIL unless the connection string says 'Include Error Detail'.
--
-- They wrap ledger.append_event(s), so the rules (expected version any / no stream / exact, the hash
-- chain, recorded_at after the head, duplicate ids failing on events_event_id_key) stay in one place.
create function ledger.append_event_or_raise(
    p_stream_id text,
    p_stream_type text,
    p_expected_version bigint,
    p_event_id uuid,
    p_type text,
    p_data jsonb,
    p_metadata jsonb,
    p_occurred_at timestamptz,
    out stream_version bigint,
    out recorded_at timestamptz,
    out tx_id xid8,
    out seq_id bigint,
    out hash bytea
)
language plpgsql as $$
declare
    v_conflict boolean;
begin
    select a.conflict, a.stream_version, a.recorded_at, a.tx_id, a.seq_id, a.hash
    into v_conflict, stream_version, recorded_at, tx_id, seq_id, hash
    from ledger.append_event(p_stream_id, p_stream_type, p_expected_version, p_event_id, p_type, p_data,
                             p_metadata, p_occurred_at) a;
    if v_conflict then
        raise exception using
            errcode = 'RL409',
            message = format('stream %s is not at the expected version %s', p_stream_id, p_expected_version),
            detail = format('The stream is at version %s.', stream_version),
            hint = stream_version::text;
    end if;
end $$;

create function ledger.append_events_or_raise(
    p_stream_id text,
    p_stream_type text,
    p_expected_version bigint,
    p_event_ids uuid[],
    p_types text[],
    p_data jsonb[],
    p_metadata jsonb[],
    p_occurred_at timestamptz[],
    out stream_version bigint,
    out recorded_at timestamptz,
    out tx_id xid8,
    out seq_ids bigint[],
    out hashes bytea[]
)
language plpgsql as $$
declare
    v_conflict boolean;
begin
    select a.conflict, a.stream_version, a.recorded_at, a.tx_id, a.seq_ids, a.hashes
    into v_conflict, stream_version, recorded_at, tx_id, seq_ids, hashes
    from ledger.append_events(p_stream_id, p_stream_type, p_expected_version, p_event_ids, p_types, p_data,
                              p_metadata, p_occurred_at) a;
    if v_conflict then
        raise exception using
            errcode = 'RL409',
            message = format('stream %s is not at the expected version %s', p_stream_id, p_expected_version),
            detail = format('The stream is at version %s.', stream_version),
            hint = stream_version::text;
    end if;
end $$;
