-- The ABC portfolio as known at an instant (docs/abc.md): the registrations now keep when they were recorded,
-- as the revenue facts always did, and ledger.abc_classes_at(as_of, known_at) counts only the facts recorded
-- by known_at. Rows written before this script take the recorded_at of the event at their log position.
alter table ledger.abc_customers add column recorded_at timestamptz;

update ledger.abc_customers c
set recorded_at = e.recorded_at
from ledger.events e
where e.tx_id = c.position_tx and e.seq_id = c.position_seq;

alter table ledger.abc_customers alter column recorded_at set not null;

create function ledger.abc_classes_at(as_of timestamptz, known_at timestamptz)
returns table (customer_id text, currency text, net_revenue numeric, rank bigint, abc_class text)
language sql stable parallel safe
set work_mem = '64MB'
as $$
    with in_window as (
        select r.customer_id, r.currency, sum(r.amount) as net
        from ledger.abc_revenue r
        where r.occurred_at > as_of - interval '8760 hours' and r.occurred_at <= as_of
          and r.recorded_at <= known_at
        group by r.customer_id, r.currency
    ),
    registered as (
        select c.customer_id, w.currency, coalesce(w.net, 0) as net, greatest(coalesce(w.net, 0), 0) as counted
        from ledger.abc_customers c
        left join in_window w on w.customer_id = c.customer_id
        where c.registered_at <= as_of and c.recorded_at <= known_at
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

-- The business-time-only form is the same question, known now.
create or replace function ledger.abc_classes_at(as_of timestamptz)
returns table (customer_id text, currency text, net_revenue numeric, rank bigint, abc_class text)
language sql stable parallel safe
as $$
    select * from ledger.abc_classes_at(as_of, 'infinity'::timestamptz)
$$;
