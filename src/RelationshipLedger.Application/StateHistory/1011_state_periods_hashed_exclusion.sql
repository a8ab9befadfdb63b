-- The exclusion constraint of 1006 compared customer ids through btree_gist's text operator class,
-- whose GiST upkeep cost more than all the table's other indexes together: about 100 µs per period
-- row, the most of what applying or rebuilding the state history costs (ledger bench rebuild,
-- docs/benchmarks.md). It now compares a 64-bit hash of the id, an int8 that GiST keeps cheaply
-- (about a fifth of the cost). Equal ids have equal hashes, so every overlap of one customer's
-- periods is still refused. Two different ids with the same hash and overlapping periods would be
-- refused too: a false conflict — the batch fails and is dead-lettered, no wrong row is ever
-- written — with odds of about n²/2⁶⁵ for n customers (3·10⁻⁸ for a million).
alter table ledger.state_periods drop constraint state_periods_no_overlap;

alter table ledger.state_periods add constraint state_periods_no_overlap
    exclude using gist ((hashtextextended(customer_id, 0)) with =, valid_during with &&);
