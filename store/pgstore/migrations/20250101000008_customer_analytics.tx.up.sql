-- The materialised analytics of each customer (analytics.Profile): what
-- the high-value and at-risk lists, the segments and the list's analytics
-- filters read, refreshed when a feed changes the customer's inputs and by
-- the periodic sweep. One row per customer, keyed by customer_id. Amounts
-- are in minor units (cents). technology and contract_term are NULL when
-- the customer holds no such service.
CREATE TABLE customer_analytics (
    customer_id        text COLLATE "C" PRIMARY KEY REFERENCES customers (id),
    mrr                bigint NOT NULL,
    historical_revenue bigint NOT NULL,
    tenure_months      integer NOT NULL,
    churn_probability  double precision NOT NULL,
    churn_score        integer NOT NULL,
    churn_level        text NOT NULL,
    predicted_ltv      bigint NOT NULL,
    technology         text,
    contract_term      text,
    service_types      text[] NOT NULL,
    autopay            boolean NOT NULL,
    has_open_tickets   boolean NOT NULL,
    model_version      text NOT NULL,
    computed_at        timestamptz NOT NULL
);

-- The high-value and at-risk rankings, keyset paged.
CREATE INDEX customer_analytics_ltv_idx ON customer_analytics (predicted_ltv DESC, customer_id DESC);
CREATE INDEX customer_analytics_churn_idx ON customer_analytics (churn_score DESC, customer_id DESC);
