-- Satisfaction history (asynchronous read model, kept by the projection daemon): one row per survey,
-- complaint and resolution of every customer. One event makes at most one point, so the primary key
-- also refuses an event applied twice.

create table ledger.satisfaction_points (
    customer_id   text        not null,
    version       bigint      not null,
    at            timestamptz not null,
    source        text        not null check (source in ('Survey', 'Complaint', 'Resolution')),
    rating        int,
    recommend     int,
    complaint_id  text,
    -- The event's place in the log.
    position_tx   xid8        not null,
    position_seq  bigint      not null,
    primary key (customer_id, version)
);
