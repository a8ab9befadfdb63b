-- The ABC portfolio (domain.md §2.5), an asynchronous read model kept by the projection daemon
-- (projection abc_revenue), and ledger.abc_classes_at(as_of): the customer pyramid as of any instant.
-- docs/abc.md states the rule, the decisions and the function's contract.

-- Every registered customer, with the business instant of its registration: the portfolio as of T
-- counts exactly the customers registered by T.
create table ledger.abc_customers (
    customer_id   text collate "C" not null primary key,
    registered_at timestamptz      not null,
    -- The event's place in the log.
    position_tx   xid8             not null,
    position_seq  bigint           not null
);

-- One row per PurchaseRecorded (amount > 0) and per PurchaseRefunded (amount < 0). The primary key
-- refuses an event applied twice. currency is the order's (a refund carries none of its own).
create table ledger.abc_revenue (
    customer_id   text collate "C" not null,
    version       bigint           not null,
    kind          text             not null check (kind in ('Purchase', 'Refund')),
    order_id      text             not null,
    occurred_at   timestamptz      not null,  -- business time: what the window measures
    recorded_at   timestamptz      not null,  -- system time: for questions of what was known when
    amount        numeric          not null check (amount <> 0),
    currency      text collate "C" not null,
    position_tx   xid8             not null,
    position_seq  bigint           not null,
    primary key (customer_id, version)
);

-- The trailing window is a range of occurred_at: the index carries the columns the classification
-- sums, so a window is read by an index-only scan, in time order, without visiting the table.
create index abc_revenue_window on ledger.abc_revenue (occurred_at) include (customer_id, currency, amount);

-- The customer pyramid as of as_of, one row per customer registered by then.
--
-- net_revenue: purchases minus refunds with occurred_at in (as_of − 365 days, as_of] — 365 days of
-- 24 hours (8760 hours), as TimeSpan.FromDays(365) in the domain; interval '365 days' would follow
-- the session's time zone across daylight-saving changes.
-- currency: an account trades in one currency (docs/domain-decisions.md), and sums across currencies
-- mean nothing, so each currency is a pyramid of its own: rank, total and class are within the
-- customer's currency. A customer without revenue in the window has currency null, net 0, class C,
-- and is ranked by id within the null group.
-- rank: 1 for the highest net revenue of the currency, ties by customer id (ordinal).
-- abc_class: C when net_revenue <= 0; else A while the customers ranked above hold less than 80 % of
-- the currency's total, B while less than 95 %, C otherwise. The total is the sum of the positive
-- net revenues (the customers that have revenue), so the shares of A, B and the positive C add to 1.
create function ledger.abc_classes_at(as_of timestamptz)
returns table (customer_id text, currency text, net_revenue numeric, rank bigint, abc_class text)
language sql stable parallel safe
set work_mem = '64MB'
as $$
    with in_window as (
        select r.customer_id, r.currency, sum(r.amount) as net
        from ledger.abc_revenue r
        where r.occurred_at > as_of - interval '8760 hours' and r.occurred_at <= as_of
        group by r.customer_id, r.currency
    ),
    registered as (
        select c.customer_id, w.currency, coalesce(w.net, 0) as net, greatest(coalesce(w.net, 0), 0) as counted
        from ledger.abc_customers c
        left join in_window w on w.customer_id = c.customer_id
        where c.registered_at <= as_of
    ),
    ranked as (
        select customer_id, currency, net,
               row_number() over pyramid as rank,
               -- The frame ends at the current row; the order is unique, so this is the sum up to it.
               sum(counted) over pyramid - counted as above,
               sum(counted) over (partition by currency) as total
        from registered
        window pyramid as (partition by currency order by net desc, customer_id)
    )
    select customer_id, currency, net, rank,
           case
               when net <= 0 then 'C'
               when above < 0.80 * total then 'A'
               when above < 0.95 * total then 'B'
               else 'C'
           end
    from ranked
$$;
