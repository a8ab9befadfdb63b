-- The accounts matching a tier, stage or owner at an instant, found directly: a page in customer order
-- walks state_periods_by_customer only while matches are dense; when a walk of a few thousand periods
-- finds too few (say, the accounts in Decline three years ago), the rest of the page is read through
-- this index and sorted (PortfolioQueries, docs/portfolio.md).
create index state_periods_at_instant on ledger.state_periods using gist (stage, tier, owner_id, valid_during);
