-- A rebuild's bulk replay (docs/rebuilds.md) fills shadow tables without the indexes its projection
-- names as not read while it writes, and builds them once the bulk is done: a B-tree built from the
-- whole table costs a fraction of keeping it row by row (abc_revenue's three indexes: 3.1 s kept,
-- 1.4 s built after, for 488,333 rows). Indexes that back a constraint (primary keys, exclusions) are
-- always kept: they refuse a row applied twice. The swap now refuses a shadow that lacks an index of
-- the live table, which it used to swap in without a word.

-- Each index of p_live with its counterpart on p_shadow (null when the shadow has none), matched by
-- definition without the index's and the table's names, equal definitions paired in name order;
-- is_constraint when the live index backs a constraint of its table.
create function ledger.rebuild_index_pairs(p_live regclass, p_shadow regclass)
returns table (live_index text, shadow_index text, definition text, is_constraint boolean)
language sql stable
set search_path = pg_catalog, pg_temp
as $$
    with indexes as (
        select c.relname::text as name, x.indrelid = p_live as is_live,
               regexp_replace(pg_get_indexdef(x.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', '\1') as definition,
               exists (select from pg_constraint k where k.conrelid = x.indrelid and k.conindid = x.indexrelid)
                   as is_constraint
        from pg_index x join pg_class c on c.oid = x.indexrelid
        where x.indrelid in (p_live, p_shadow)
    ),
    numbered as (
        select name, is_live, definition, is_constraint,
               row_number() over (partition by is_live, definition order by name) as n
        from indexes
    )
    select l.name, s.name, l.definition, l.is_constraint
    from numbered l
    left join numbered s on s.definition = l.definition and s.n = l.n and not s.is_live
    where l.is_live
$$;

-- The shadow table of ledger.<p_table> (which rebuild_live_table has accepted); raises when there is none.
create function ledger.rebuild_shadow_table(p_table text) returns regclass
language plpgsql stable
set search_path = pg_catalog, pg_temp
as $$
declare
    shadow oid;
begin
    select c.oid into shadow
    from pg_class c
    where c.relnamespace = 'ledger'::regnamespace and c.relname = p_table || '_rebuild' and c.relkind = 'r';
    if shadow is null then
        raise exception 'rebuild: ledger.% has no shadow table', p_table using errcode = 'undefined_table';
    end if;
    return shadow;
end $$;

-- As rebuild_create_shadows(p_tables), then drops from the shadows the indexes named in p_deferred
-- (live index names of those tables), which rebuild_build_indexes builds later. Refuses a name that is
-- no index of the tables, or one that backs a constraint.
create function ledger.rebuild_create_shadows(p_tables text[], p_deferred text[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    t text;
    pair record;
    deferred text[] := '{}';
begin
    perform ledger.rebuild_create_shadows(p_tables);
    foreach t in array p_tables loop
        for pair in
            select * from ledger.rebuild_index_pairs(ledger.rebuild_live_table(t), ledger.rebuild_shadow_table(t))
            where live_index = any (p_deferred)
        loop
            if pair.is_constraint then
                raise exception 'rebuild: index ledger.% backs a constraint and cannot be built after the bulk',
                    pair.live_index using errcode = 'object_not_in_prerequisite_state';
            end if;
            execute format('drop index ledger.%I', pair.shadow_index);
            deferred := deferred || pair.live_index;
        end loop;
    end loop;
    if exists (select from unnest(p_deferred) d where d <> all (deferred)) then
        raise exception 'rebuild: % names no index of the tables %', p_deferred, p_tables
            using errcode = 'undefined_object';
    end if;
end $$;

-- Creates on each shadow every index of its live table that it lacks (those deferred by
-- rebuild_create_shadows), then analyzes the shadow so that it is swapped in with statistics.
-- Refuses to build one that backs a constraint: that would be an index without its constraint.
create function ledger.rebuild_build_indexes(p_tables text[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    t text;
    shadow regclass;
    pair record;
begin
    foreach t in array p_tables loop
        shadow := ledger.rebuild_shadow_table(t);
        for pair in
            select * from ledger.rebuild_index_pairs(ledger.rebuild_live_table(t), shadow)
            where shadow_index is null
        loop
            if pair.is_constraint then
                raise exception 'rebuild: the shadow of ledger.% lacks the constraint of index %', t, pair.live_index
                    using errcode = 'object_not_in_prerequisite_state';
            end if;
            execute format(
                'create %sindex on %s %s',
                case when pair.definition like 'UNIQUE %' then 'unique ' else '' end,
                shadow,
                regexp_replace(pair.definition, '^UNIQUE ', '')
            );
        end loop;
        execute format('analyze %s', shadow);
    end loop;
end $$;

-- Inside the swap's transaction: as before (0010), but through rebuild_index_pairs, and refusing a
-- shadow that lacks an index of the live table.
create or replace function ledger.rebuild_swap_shadows(p_tables text[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    t text;
    live regclass;
    shadow regclass;
    from_names text[];
    to_names text[];
    k int;
begin
    foreach t in array p_tables loop
        live := ledger.rebuild_live_table(t);
        shadow := ledger.rebuild_shadow_table(t);
        if exists (select from ledger.rebuild_index_pairs(live, shadow) where shadow_index is null) then
            raise exception 'rebuild: the shadow of ledger.% lacks indexes of the live table', t
                using errcode = 'object_not_in_prerequisite_state',
                      hint = 'ledger.rebuild_build_indexes builds them.';
        end if;
        select coalesce(array_agg(shadow_index order by live_index), '{}'),
               coalesce(array_agg(live_index order by live_index), '{}')
        into from_names, to_names
        from ledger.rebuild_index_pairs(live, shadow);
        execute format('drop table %s', live);
        execute format('alter table %s rename to %I', shadow, t);
        for k in 1 .. coalesce(array_length(from_names, 1), 0) loop
            execute format('alter index ledger.%I rename to %I', from_names[k], 'ledger_rebuild_swap_' || k);
        end loop;
        for k in 1 .. coalesce(array_length(to_names, 1), 0) loop
            execute format('alter index ledger.%I rename to %I', 'ledger_rebuild_swap_' || k, to_names[k]);
        end loop;
    end loop;
end $$;

revoke execute on function ledger.rebuild_index_pairs(regclass, regclass) from public;
revoke execute on function ledger.rebuild_shadow_table(text) from public;
revoke execute on function ledger.rebuild_create_shadows(text[], text[]) from public;
revoke execute on function ledger.rebuild_build_indexes(text[]) from public;
