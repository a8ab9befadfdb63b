-- The daemon used to replace all of a touched customer's periods in every batch: each purchase
-- deleted and re-inserted every one of that customer's rows, and the GiST indexes' upkeep made
-- that most of what the database spent on an append (docs/benchmarks.md, HTTP load). It now keeps
-- the periods that did not change and writes only the others (StateHistoryProjection.ReviseAsync).
-- The version column, the stream version the rows were computed from, changed with every event
-- and so forced every row to be rewritten; nothing read it. It is dropped, from the live table and
-- from any shadow of it a rebuild left behind (a rebuild in progress starts again after this).
do $$
declare
    periods regclass;
begin
    for periods in
        select c.oid::regclass
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid
        where n.nspname = 'ledger' and c.relkind = 'r' and c.relname like 'state\_periods%'
          and a.attname = 'version' and not a.attisdropped
    loop
        execute format('alter table %s drop column version', periods);
    end loop;
end
$$;
