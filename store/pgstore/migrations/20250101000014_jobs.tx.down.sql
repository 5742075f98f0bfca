DROP TABLE job_inputs;
DROP TABLE job_errors;
DROP TABLE jobs;
