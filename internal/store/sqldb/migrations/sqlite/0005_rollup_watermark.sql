-- +goose Up
-- The order rollups' watermark (see rollup_roll.go): week and month rows
-- hold the days before rolled_until (an epoch day); a later day is in its
-- day rows only, until a roll adds them to its week and month and moves the
-- watermark. Every row written before this version was written at every
-- grain, so the watermark starts after the last day with a day row; a new
-- database's starts at 0 and moves to today at the first roll.
CREATE TABLE rollup_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    rolled_until INTEGER NOT NULL
);
INSERT INTO rollup_state (id, rolled_until)
SELECT 1, COALESCE(MAX(day) + 1, 0) FROM (
    SELECT MAX(day) AS day FROM rollup_sales WHERE grain = 1
    UNION ALL SELECT MAX(day) FROM rollup_cycles WHERE grain = 1
    UNION ALL SELECT MAX(day) FROM rollup_returns WHERE grain = 1
) AS last;
