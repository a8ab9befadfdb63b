-- Temporal state history (asynchronous read model, kept by the projection daemon): one row per
-- customer per stretch of business time during which its tier, lifecycle stage and owner held.
-- The last period of a customer is open-ended (upper bound unbounded): after it nothing changes
-- without a new event. A customer's rows are replaced whenever one of its events is applied.

create extension if not exists btree_gist;

create table ledger.state_periods (
    customer_id   text        not null,
    valid_during  tstzrange   not null check (not isempty(valid_during) and not lower_inf(valid_during)),
    tier          text        not null,
    tier_since    timestamptz not null,
    stage         text        not null,
    stage_since   timestamptz not null,
    owner_id      text,
    owner_since   timestamptz,
    -- The customer's name as of the stream version the rows were computed from (the latest known).
    name          text        not null,
    -- The stream version the customer's rows were computed from.
    version       bigint      not null,
    -- A customer's periods never overlap; this GiST index also finds a customer's period at an instant.
    constraint state_periods_no_overlap exclude using gist (customer_id with =, valid_during with &&)
);

-- The portfolio in customer order (cursor paging): walk customers from the cursor, keep the rows
-- whose period contains the instant asked about.
create index state_periods_by_customer on ledger.state_periods (customer_id, valid_during);

-- An owner's portfolio in customer order.
create index state_periods_by_owner on ledger.state_periods (owner_id, customer_id);
