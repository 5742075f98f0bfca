DROP TABLE customer_analytics;
