-- The churn watch list (asynchronous read model, kept by the projection daemon): per customer, the
-- latest churn flag that no end of the relationship has closed since, and the latest contact by
-- business time. The contact is kept whether or not a flag exists yet, because a flag may be dated
-- before contacts recorded ahead of it; "the last contact since the flag" is the latest contact when
-- it is not earlier than the flag. Whether the flag's episode still stands (the customer has not
-- recovered) is judged when the list is read (docs/churn-watch.md).

create table ledger.churn_watch (
    customer_id            text        primary key,
    -- The latest ChurnRiskFlagged, null when there is none or the relationship ended after it.
    flagged_at             timestamptz,
    flag_version           bigint,
    signals                text[],
    -- The latest ContactRecorded by (occurred_at, version).
    last_contact_at        timestamptz,
    last_contact_version   bigint,
    last_contact_channel   text,
    last_contact_initiator text,
    last_contact_purpose   text,
    -- The last event applied to the row: its place in the log.
    position_tx            xid8        not null,
    position_seq           bigint      not null,
    check ((flagged_at is null) = (flag_version is null) and (flagged_at is null) = (signals is null))
);

-- The list: newest flag first.
create index churn_watch_flagged on ledger.churn_watch (flagged_at desc, customer_id)
    where flagged_at is not null;
