-- Blue/green rebuilds (docs/rebuilds.md) by a role that owns nothing, such as the API's
-- (docs/operations.md). Creating a projection's shadow tables, dropping them and swapping them in by
-- DROP/RENAME need the tables' owner; the three functions at the end do it for their caller as the
-- schema's owner (security definer), for the tables listed in ledger.rebuildable_tables only. A caller
-- that is the tables' owner (or has its rights) may name any table of the schema: it could do the same
-- itself. Each shadow gets the live table's grants, so whoever may write the live model may write the
-- shadow and, after the swap, the new live table. Table names are checked against the catalog and
-- quoted; the functions search nothing but pg_catalog.

-- The tables a rebuild may replace: those of projections, listed by the migration that creates them.
-- The API's role may read the list, never change it (ApiDatabaseRole).
create table ledger.rebuildable_tables (
    table_name  text primary key check (table_name ~ '^[a-z_][a-z0-9_]{0,49}$'),
    projection  text not null
);

-- The live table ledger.<p_table> if the session's role may have it rebuilt; raises otherwise:
-- invalid_name for a malformed name, undefined_table when there is no such table, insufficient_privilege
-- when it is not a rebuildable table (and the session is not its owner), object_not_in_prerequisite_state
-- when it has triggers, which its shadow would not have. Security invoker: it decides nothing by itself,
-- the definer functions below call it.
create function ledger.rebuild_live_table(p_table text) returns regclass
language plpgsql stable
set search_path = pg_catalog, pg_temp
as $$
declare
    live oid;
    live_owner oid;
begin
    if p_table is null or p_table !~ '^[a-z_][a-z0-9_]{0,49}$' then
        raise exception 'rebuild: % is not a table name', quote_nullable(p_table)
            using errcode = 'invalid_name';
    end if;
    select c.oid, c.relowner into live, live_owner
    from pg_class c
    where c.relnamespace = 'ledger'::regnamespace and c.relname = p_table and c.relkind = 'r';
    if live is null then
        raise exception 'rebuild: ledger.% is not a table', p_table using errcode = 'undefined_table';
    end if;
    if not pg_has_role(session_user, live_owner, 'USAGE')
       and not exists (select from ledger.rebuildable_tables r where r.table_name = p_table) then
        raise exception 'rebuild: ledger.% is not a projection table that may be rebuilt', p_table
            using errcode = 'insufficient_privilege',
                  hint = 'The migration that creates a projection''s tables lists them in ledger.rebuildable_tables.';
    end if;
    if exists (select from pg_trigger t where t.tgrelid = live and not t.tgisinternal) then
        raise exception 'rebuild: ledger.% has triggers, which a shadow table would not have', p_table
            using errcode = 'object_not_in_prerequisite_state';
    end if;
    return live;
end $$;

-- Grants p_to what p_from grants (table and column privileges) to any role but its owner.
-- Security invoker: whoever calls it grants only what it may grant.
create function ledger.rebuild_copy_grants(p_from regclass, p_to regclass) returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
declare
    g record;
begin
    for g in
        select a.privilege_type, a.grantee, a.is_grantable, null::name as column_name
        from pg_class c, aclexplode(c.relacl) a
        where c.oid = p_from and a.grantee <> c.relowner
        union all
        select a.privilege_type, a.grantee, a.is_grantable, att.attname
        from pg_class c
        join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped,
        aclexplode(att.attacl) a
        where c.oid = p_from and a.grantee <> c.relowner
    loop
        execute format(
            'grant %s%s on table %s to %s%s',
            g.privilege_type,
            case when g.column_name is null then '' else format(' (%I)', g.column_name) end,
            p_to,
            case when g.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(g.grantee)) end,
            case when g.is_grantable then ' with grant option' else '' end
        );
    end loop;
end $$;

-- Drops any shadow left over (ledger.<table>_rebuild) and creates it empty, like the live table
-- including all (columns, defaults, checks, indexes), with the live table's grants.
create function ledger.rebuild_create_shadows(p_tables text[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    t text;
    live regclass;
begin
    foreach t in array p_tables loop
        live := ledger.rebuild_live_table(t);
        execute format('drop table if exists ledger.%I', t || '_rebuild');
        execute format('create table ledger.%I (like %s including all)', t || '_rebuild', live);
        perform ledger.rebuild_copy_grants(live, format('ledger.%I', t || '_rebuild')::regclass);
    end loop;
end $$;

-- Drops the shadow tables (a failed rebuild leaves nothing behind).
create function ledger.rebuild_drop_shadows(p_tables text[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    t text;
begin
    foreach t in array p_tables loop
        perform ledger.rebuild_live_table(t);
        execute format('drop table if exists ledger.%I', t || '_rebuild');
    end loop;
end $$;

-- Inside the swap's transaction: drops each live table, renames its shadow to the live name, then gives
-- the shadow's indexes (and so their constraints) the live indexes' names, matched by definition (the
-- index's definition without its own and its table's name; equal ones paired in name order), so that
-- later migrations find them where they were. Through interim names first, in case a shadow index
-- already bears a live index's name.
create function ledger.rebuild_swap_shadows(p_tables text[]) returns void
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
        select c.oid into shadow
        from pg_class c
        where c.relnamespace = 'ledger'::regnamespace and c.relname = t || '_rebuild' and c.relkind = 'r';
        if shadow is null then
            raise exception 'rebuild: ledger.% has no shadow table', t using errcode = 'undefined_table';
        end if;
        with indexes as (
            select c.relname::text as name, x.indrelid = live as is_live,
                   regexp_replace(pg_get_indexdef(x.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', '\1') as definition
            from pg_index x join pg_class c on c.oid = x.indexrelid
            where x.indrelid in (live, shadow)
        ),
        numbered as (
            select name, is_live, definition,
                   row_number() over (partition by is_live, definition order by name) as n
            from indexes
        )
        select coalesce(array_agg(s.name order by l.name), '{}'), coalesce(array_agg(l.name order by l.name), '{}')
        into from_names, to_names
        from numbered l join numbered s on s.definition = l.definition and s.n = l.n and not s.is_live
        where l.is_live;
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

-- Only the roles given EXECUTE (the API's, by ledger migrate --grant-api-role) may call them.
revoke execute on function ledger.rebuild_live_table(text) from public;
revoke execute on function ledger.rebuild_copy_grants(regclass, regclass) from public;
revoke execute on function ledger.rebuild_create_shadows(text[]) from public;
revoke execute on function ledger.rebuild_drop_shadows(text[]) from public;
revoke execute on function ledger.rebuild_swap_shadows(text[]) from public;
