-- Saved customer list queries (analytics.Segment). rules is the JSON
-- object of the segment's rules, each value the text of a list query
-- parameter; the members are counted and listed on read, never stored.
CREATE TABLE segments (
    id          text COLLATE "C" PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL,
    rules       jsonb NOT NULL,
    version     bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
