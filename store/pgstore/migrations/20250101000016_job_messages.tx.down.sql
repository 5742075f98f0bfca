DROP TABLE job_messages;
