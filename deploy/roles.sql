-- The ledger's database roles for a deployment (docs/operations.md). Run once, as a superuser, on the
-- ledger's database (docker-compose.yml mounts this file into the PostgreSQL container's init directory;
-- it then runs as POSTGRES_USER on POSTGRES_DB when the data volume is first created).
--
--   ledger_migrator  owns the schema `ledger` and everything in it; runs `ledger migrate --grant-api-role
--                    ledger_api` (the one-shot `migrate` service) before the API starts. Its functions
--                    of migration 0010 let the API rebuild projections without owning their tables.
--   ledger_api       what the API connects as: reads and writes the read models, idempotency keys,
--                    checkpoints and digests, but only INSERT and SELECT on ledger.events (no UPDATE,
--                    DELETE or TRUNCATE), only SELECT on ledger.schema_migrations and
--                    ledger.rebuildable_tables, and no DDL. Its table
--                    grants are given by `ledger migrate --grant-api-role`, after each migration, because
--                    new tables need them too.
--
-- Change the passwords (or use `\password ROLE` in psql) before anything leaves a test machine.

create role ledger_migrator login password 'change-me-migrator';
create role ledger_api login password 'change-me-api';

-- The migrator creates the schema; nobody else may create anything in this database.
grant create, connect, temporary on database ledger to ledger_migrator;
grant connect, temporary on database ledger to ledger_api;
revoke create on schema public from public;
