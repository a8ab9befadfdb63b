-- The at-instant index of 1009 compared stage, tier and owner through btree_gist's text operator class:
-- keeping it cost about 26 µs per period row, building it 9.9 s for 359,821 periods, a third of what
-- rebuilding the state history cost (docs/benchmarks.md). It now compares 64-bit hashes of the three
-- texts, as the exclusion constraint does with the customer id (1011): built in 3.1 s, and its scans
-- compare integers. The queries ask by the hash and by the text (PortfolioSql.WhereEquals): the hash
-- finds the candidates through the index, the text decides, so two texts with equal hashes can never
-- be confused.
drop index ledger.state_periods_at_instant;

create index state_periods_at_instant on ledger.state_periods using gist (
    (hashtextextended(stage, 0)), (hashtextextended(tier, 0)), (hashtextextended(owner_id, 0)), valid_during
);
