DROP TABLE analytics_sweeps;
