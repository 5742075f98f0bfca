-- Where each periodic sweep over every customer stands (analytics.SweepState):
-- one row per sweep, shared by every server. A server claims a sweep's next
-- batch by locking its row (SELECT … FOR UPDATE), reading the customers after
-- cursor and moving cursor past them, so two servers never claim the same
-- batch and a round runs once per interval. started_at is when the current
-- (or last) round started (NULL before the first); finished_at when its last
-- batch was claimed (NULL while it runs).
CREATE TABLE analytics_sweeps (
    name        text COLLATE "C" PRIMARY KEY,
    cursor      text COLLATE "C" NOT NULL DEFAULT '',
    started_at  timestamptz,
    finished_at timestamptz
);
