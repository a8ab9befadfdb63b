-- The overview row no longer carries the folded head state: the process that appends holds it in
-- memory, and any other starts from the latest periodic snapshot (at most 99 events behind).
-- Writing the whole state on every append made each append's cost grow with the customer's history.
alter table ledger.customer_overview drop column state_format, drop column state;
