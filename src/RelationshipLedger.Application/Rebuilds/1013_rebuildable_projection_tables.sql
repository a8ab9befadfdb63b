-- The read models' tables that a blue/green rebuild may replace (ledger.rebuildable_tables, migration
-- 0010): the tables of the asynchronous projections, so that the API's role can rebuild them through
-- the owner's functions. A new projection's migration adds its tables here.
insert into ledger.rebuildable_tables (table_name, projection) values
    ('satisfaction_points', 'satisfaction_history'),
    ('state_periods', 'state_history'),
    ('abc_customers', 'abc_revenue'),
    ('abc_revenue', 'abc_revenue'),
    ('churn_watch', 'churn_watch');
