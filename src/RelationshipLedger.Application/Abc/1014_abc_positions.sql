-- The ABC read model held in memory (AbcRevenueMirror, docs/abc.md) reads the rows written since it last
-- looked by their log position: these indexes make that an index range scan instead of a scan of the table.
create index abc_customers_by_position on ledger.abc_customers (position_tx, position_seq);
create index abc_revenue_by_position on ledger.abc_revenue (position_tx, position_seq);
