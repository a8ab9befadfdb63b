-- Snapshots of format customer-state-v3 keep the compact binary state in a bytea column instead of
-- base64 inside a jsonb string (v2): a read no longer renders 80 kB of jsonb text for a customer with
-- 1,000 facts and decodes base64. Stored uncompressed (storage external): decompressing the row cost
-- a cold read more than the disk it saves. Rows of the older formats keep their jsonb state.
alter table ledger.customer_snapshots
    add column state_bytes bytea,
    alter column state drop not null,
    add constraint customer_snapshots_one_state check ((state is null) <> (state_bytes is null));

alter table ledger.customer_snapshots alter column state_bytes set storage external;
